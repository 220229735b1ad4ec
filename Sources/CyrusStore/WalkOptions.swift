#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
  /// Like `full`, but a file whose device, inode, size, mtime and ctime are those recorded in
  /// the digest cache (``DigestCacheSettings``) keeps its recorded SHA-256 and is not read,
  /// except for its turn in the scrub rotation.
  case incremental

  /// The byte that stands for the level in the agent protocol and saved manifests.
  public var code: UInt8 {
    switch self {
    case .meta: 0
    case .full: 1
    case .guid: 2
    case .incremental: 3
    }
  }

  /// The level a protocol byte stands for.
  public init?(code: UInt8) {
    guard let level = Self.allCases.first(where: { $0.code == code }) else { return nil }
    self = level
  }
}

/// What a walk includes, and how many threads read file contents.
public struct WalkOptions: Sendable {
  /// Whether file contents are hashed.
  public var level: VerifyLevel
  /// Whether runtime-only files (``RuntimeFiles``) are walked too.
  public var includeRuntime: Bool
  /// Size of the read buffer for hashing, in bytes (one per hashing thread).
  public var readBufferSize: Int
  /// Threads that read and hash file contents (`--hash-jobs`). 1 hashes on the walking thread
  /// itself, one file after the other; more start that many workers fed through a bounded
  /// window (``HashWindow``), the entries still coming out in canonical order.
  public var hashJobs: Int
  /// Reads the Berkeley DB files the walk opens (the seen databases of Cyrus 2.x).
  public var berkeleyReader: any BerkeleyRecordReader
  /// The digest cache to read and write (`--cache`): trusted at `incremental`, only written at
  /// `full`; `nil` for none.
  public var cache: DigestCacheSettings?
  /// Test hook: called on the hashing thread with a file's name just before it is opened.
  var beforeHashing: (@Sendable (_ name: [UInt8]) -> Void)?

  /// Most hashing threads a walk starts (`--hash-jobs` and the agent protocol refuse more).
  public static let maxHashJobs = 64

  /// The default of `--hash-jobs`: one per core, but at least 4 (reads in flight are what a
  /// disk not in the page cache needs, even on a small host: docs/performance.md) and at most 8
  /// (past that the walk itself, its `fstatat`s and index reads on one thread, limits).
  public static var defaultHashJobs: Int {
    min(8, max(4, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
  }

  /// Makes options.
  public init(
    level: VerifyLevel = .full, includeRuntime: Bool = false, readBufferSize: Int = 1 << 18,
    hashJobs: Int = WalkOptions.defaultHashJobs,
    berkeleyReader: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) {
    precondition(
      (1...Self.maxHashJobs).contains(hashJobs),
      "hashJobs must be 1...\(Self.maxHashJobs), validated by the caller")
    self.level = level
    self.includeRuntime = includeRuntime
    self.readBufferSize = readBufferSize
    self.hashJobs = hashJobs
    self.berkeleyReader = berkeleyReader
  }
}
