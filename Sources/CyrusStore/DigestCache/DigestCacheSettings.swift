/// How a walk uses a digest cache (`--cache DIR`, `--scrub N`): where the cache files are, and
/// whether digests found there are trusted (`--level incremental`) or only written for the next
/// run (`--level full`, which reads everything).
public struct DigestCacheSettings: Sendable {
  /// The directory holding one cache file per instance, outside every Cyrus tree
  /// (``DigestCacheDirectory``).
  public var directory: String
  /// Whether a file whose ``FileKey`` is unchanged keeps its cached digest without being read.
  public var trusted: Bool
  /// Every cached file is read again at least once every this many runs (`--scrub`).
  public var scrubRuns: Int
  /// Test hook: the wall-clock time the walk starts at, in place of the real one (a file
  /// changed less than ``settleSeconds`` before it is not cached).
  var startTime: Timestamp?

  /// Default of `--scrub`: with one verify a night, every file is read again within a month.
  public static let defaultScrubRuns = 30
  /// Largest `--scrub`.
  public static let maxScrubRuns = 100_000
  /// A file whose ctime is less than this many seconds before the walk started is read, not
  /// cached: a change in the same clock tick as the read would keep its key (the coarse kernel
  /// clock, and file systems with 1 s timestamps). Git calls such entries "racily clean".
  public static let settleSeconds: Int64 = 2

  /// Makes settings.
  public init(directory: String, trusted: Bool, scrubRuns: Int = Self.defaultScrubRuns) {
    precondition(
      (1...Self.maxScrubRuns).contains(scrubRuns), "scrubRuns is validated by the caller")
    self.directory = directory
    self.trusted = trusted
    self.scrubRuns = scrubRuns
  }
}

/// What a walk did with its digest cache, for `--stats` and tests.
public struct DigestCacheStatistics: Sendable, Equatable {
  /// Why the previous cache was not used, when it was not (`nil`: used, or there was none).
  public var ignored: String?
  /// Whether there was a previous cache file at all.
  public var found = false
  /// Files whose digest came from the cache without reading them.
  public var reused = 0
  /// Files read because they are not in the cache, or their key changed.
  public var readChanged = 0
  /// Files read although their key is unchanged: their turn in the scrub rotation.
  public var readScrub = 0
  /// Records written to the new cache.
  public var written = 0
  /// Why the new cache was not written, when it was not.
  public var notWritten: String?

  /// Makes empty statistics.
  public init() {}
}
