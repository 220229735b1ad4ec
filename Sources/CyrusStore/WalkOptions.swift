/// How deep a walk looks at each file.
public enum VerifyLevel: String, Sendable, CaseIterable {
  /// Metadata only: type, size, mode, owner, times, links. Reads no file content.
  case meta
  /// Metadata, SHA-256 of every file except message files, and each message file's SHA-1
  /// checked on its own host against the GUID its cyrus.index records (2.4+): finds bit rot on
  /// either side without moving or re-hashing content across hosts; the GUIDs themselves are
  /// compared across sides through the index summaries.
  case guid
  /// Metadata plus a SHA-256 of every file's content.
  case full

  /// The byte that stands for the level in the agent protocol and saved manifests.
  public var code: UInt8 {
    switch self {
    case .meta: 0
    case .full: 1
    case .guid: 2
    }
  }

  /// The level a protocol byte stands for.
  public init?(code: UInt8) {
    guard let level = Self.allCases.first(where: { $0.code == code }) else { return nil }
    self = level
  }
}

/// What a walk includes.
public struct WalkOptions: Sendable {
  /// Whether file contents are hashed.
  public var level: VerifyLevel
  /// Whether runtime-only files (``RuntimeFiles``) are walked too.
  public var includeRuntime: Bool
  /// Size of the read buffer for hashing, in bytes.
  public var readBufferSize: Int

  /// Makes options.
  public init(
    level: VerifyLevel = .full, includeRuntime: Bool = false, readBufferSize: Int = 1 << 18
  ) {
    self.level = level
    self.includeRuntime = includeRuntime
    self.readBufferSize = readBufferSize
  }
}
