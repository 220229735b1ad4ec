#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One walk's use of its digest cache: the previous cache file read alongside the walk (both in
/// canonical order, merged as they go), and the next one written as entries come out.
///
/// ``resolve(_:)`` sees each step as the walk makes it: a file whose ``FileKey`` equals its
/// record's keeps the recorded digest and is not read, unless the cache is only written
/// (`--level full`) or it is the file's turn in the scrub rotation. ``record(_:)`` sees each
/// finished step in the same order and writes what is known for sure: a digest read from a
/// file whose ctime is older than the walk's start by ``DigestCacheSettings/settleSeconds``, or
/// one carried over unchanged. Memory: one block of each file, whatever the spool's size.
final class DigestCache {
  /// What happened, for `--stats` and tests.
  private(set) var statistics = DigestCacheStatistics()
  /// Files and bytes of the walk that wrote the previous cache (an estimate of this one's).
  let previousTotals: (files: UInt64, bytes: UInt64)?
  private let settings: DigestCacheSettings
  private let areaIndex: [String: Int]
  private let run: UInt64
  private let settledBefore: Timestamp
  private let directory: Int32
  private var reader: DigestCacheReader?
  private var writer: DigestCacheWriter?
  private var files: UInt64 = 0
  private var bytes: UInt64 = 0
  /// The last area looked up in ``areaIndex`` and its index: entries come area by area, so
  /// most lookups are a string comparison instead of a hash.
  private var lastArea: (name: String, index: Int?) = ("", nil)

  /// Opens the previous cache of `instance` in the settings' directory, if any and if it is
  /// sound, and starts the new one.
  init(settings: DigestCacheSettings, instance: CyrusInstance) {
    self.settings = settings
    let identity = DigestCacheIdentity(instance)
    var index: [String: Int] = [:]
    for (position, area) in identity.areas.enumerated() { index[area.name] = position }
    areaIndex = index
    let start = settings.startTime ?? Self.now()
    settledBefore = Timestamp(
      seconds: start.seconds - DigestCacheSettings.settleSeconds, nanoseconds: start.nanoseconds)
    directory = DigestCacheDirectory.open(settings.directory)
    let name = DigestCacheFormat.fileName(for: identity)
    var statistics = DigestCacheStatistics()
    var reader: DigestCacheReader?
    if directory < 0 {
      statistics.notWritten = "cannot open \(settings.directory): \(SystemFiles.errorText())"
    } else if faccessat(directory, name, F_OK, AT_SYMLINK_NOFOLLOW) == 0 {
      statistics.found = true
      do {
        reader = try DigestCacheReader(name: name, in: directory, identity: identity)
      } catch {
        statistics.ignored = "\(settings.directory)/\(name): \(error)"
      }
    }
    self.reader = reader
    previousTotals = reader?.totals
    // The run counter goes on from a sound cache; a new cache starts again.
    run = reader.map { $0.run &+ 1 } ?? 0
    if directory >= 0 {
      let writer = DigestCacheWriter(
        directory: directory, name: name, identity: identity, run: run)
      statistics.notWritten = writer.failure
      self.writer = writer
    }
    self.statistics = statistics
    reader?.advance()
  }

  deinit {
    writer?.abandon()
    if directory >= 0 { close(directory) }
  }

  /// Looks a step up: a SHA-256 read of a file with an unchanged key is dropped and the entry
  /// takes the recorded digest, unless the cache is not trusted or it is the file's turn to be
  /// read again. Called in canonical order.
  func resolve(_ step: inout WalkStep) {
    // Not `let read = step.read`: a copy of the read retains its directory.
    guard step.read?.function == .sha256, let key = step.read?.expected else { return }
    step.cache = WalkStep.CacheState(key: key, lastRun: run)
    guard let area = index(ofArea: step.entry.area),
      let cached = seek(area: area, path: step.entry.path.bytes)
    else {
      if settings.trusted { statistics.readChanged += 1 }
      return
    }
    defer { cached.advance() }
    guard settings.trusted else { return }
    guard cached.key == key else {
      statistics.readChanged += 1
      return
    }
    if scrubDue(inode: key.inode, lastRun: cached.lastRun) {
      statistics.readScrub += 1
      return
    }
    statistics.reused += 1
    step.read = nil
    step.entry.digest = cached.digest
    step.cache = WalkStep.CacheState(key: key, lastRun: cached.lastRun)
  }

  /// Writes what the finished `entry` (with its step's `cacheState`) adds to the new cache;
  /// counts every file for the totals. Called in canonical order.
  func record(_ entry: ManifestEntry, _ cacheState: WalkStep.CacheState?) {
    if entry.kind == .file {
      files += 1
      bytes = bytes.addingSaturated(entry.size)
    }
    guard let writer, let state = cacheState, let digest = entry.digest, entry.problem == nil,
      digest.count == DigestCacheFormat.digestBytes, state.key.changed < settledBefore,
      let area = index(ofArea: entry.area)
    else { return }
    writer.append(
      area: area, path: entry.path.bytes, key: state.key, lastRun: state.lastRun, digest: digest)
  }

  /// After the walk's last entry: puts the new cache in place.
  func commit() {
    guard let writer else { return }
    writer.commit(files: files, bytes: bytes)
    statistics.written = writer.failure == nil ? writer.records : 0
    statistics.notWritten = writer.failure
    if let damage = reader?.damage, statistics.ignored == nil {
      statistics.ignored = "\(settings.directory): \(damage); the rest was read instead"
    }
    self.writer = nil
  }

  /// The index of the area named `name` in the cache's identity.
  private func index(ofArea name: String) -> Int? {
    if name != lastArea.name { lastArea = (name, areaIndex[name]) }
    return lastArea.index
  }

  /// The reader with its cursor on the record at `area`/`path`, having moved past every record
  /// before it; the caller advances it once done with the record.
  private func seek(area: Int, path: [UInt8]) -> DigestCacheReader? {
    guard let reader else { return nil }
    while reader.hasRecord {
      let order = reader.compare(area: area, path: path)
      if order < 0 { return nil }
      if order == 0 { return reader }
      reader.advance()
    }
    return nil
  }

  /// Whether a file with an unchanged key is read anyway: every `scrubRuns` runs, at a run
  /// that depends on its inode (so that each run reads its share), and whenever it has not
  /// been read for that many runs (after `--scrub` was raised or the rotation skipped it).
  private func scrubDue(inode: UInt64, lastRun: UInt64) -> Bool {
    let period = UInt64(settings.scrubRuns)
    if run &- lastRun >= period { return true }
    // SplitMix64's finaliser spreads consecutive inode numbers over the rotation.
    return CacheCheck.avalanche(inode) % period == run % period
  }

  private static func now() -> Timestamp {
    var time = timespec()
    clock_gettime(CLOCK_REALTIME, &time)
    return Timestamp(seconds: Int64(time.tv_sec), nanoseconds: Int32(time.tv_nsec))
  }
}
