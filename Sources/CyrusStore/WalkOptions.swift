/// How deep a walk looks at each file.
public enum VerifyLevel: String, Sendable, CaseIterable {
  /// Metadata only: type, size, mode, owner, times, links. Reads no file content.
  case meta
  /// Metadata plus a SHA-256 of every file's content.
  case full
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
