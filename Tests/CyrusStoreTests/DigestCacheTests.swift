import Foundation
import Testing

@testable import CyrusStore

/// `--level incremental`: a file whose key is unchanged keeps its cached digest and is not
/// read; anything else is read; the entries are those of a walk that reads everything.
@Suite struct DigestCacheTests {
  /// The file entries' paths and digests, for comparison with a full walk.
  func digests(_ walk: CacheHarness.Walk) -> [String: [UInt8]] {
    var result: [String: [UInt8]] = [:]
    for entry in walk.entries where entry.kind == .file { result[entry.location] = entry.digest }
    return result
  }

  @Test(arguments: [1, 4])
  func unchangedFilesAreNotReadAgain(jobs: Int) throws {
    let harness = try CacheHarness()
    let first = try harness.walk(jobs: jobs)
    let files = first.entries.filter { $0.kind == .file }.count
    #expect(first.read.count == files)
    #expect(first.statistics.readChanged == files && first.statistics.reused == 0)
    #expect(first.statistics.written == files && first.statistics.notWritten == nil)
    let second = try harness.walk(jobs: jobs)
    #expect(second.entries == first.entries)
    #expect(second.statistics.readChanged == 0)
    #expect(second.read.count == second.statistics.readScrub)
    #expect(second.statistics.reused + second.statistics.readScrub == files)
    #expect(second.statistics.reused > 0)
  }

  /// Same size, mtime set back: the ctime changed, so the file is read and its new digest is
  /// the one a full walk finds.
  @Test func contentChangedWithSizeAndMtimeKeptIsReadAgain() throws {
    let harness = try CacheHarness()
    let first = try harness.walk()
    let victim = harness.messages[17]
    let original = try String(contentsOfFile: harness.tree.path + "/" + victim, encoding: .utf8)
    try harness.rewriteKeepingMtime(victim, String(original.reversed()))
    let second = try harness.walk()
    #expect(second.read.contains((victim as NSString).lastPathComponent))
    #expect(second.statistics.readChanged == 1)
    let reference = try harness.walk(.full, cached: false)
    #expect(digests(second) == digests(reference))
    #expect(digests(second) != digests(first))
  }

  /// One field of a file's key.
  enum KeyField: String, CaseIterable, Sendable {
    case device, inode, size, mtime, ctime
  }

  /// A record that differs from the file in any one key field is not trusted: the file is read
  /// and its entry carries the digest read, not the (here wrong) recorded one.
  @Test(arguments: KeyField.allCases)
  func recordDifferingInOneKeyFieldIsReadAgain(field: KeyField) throws {
    let harness = try CacheHarness()
    let first = try harness.walk()
    let victim = harness.messages[23]
    try harness.editCache { record in
      guard harness.isRecord(record, of: victim) else { return }
      record.digest = [UInt8](repeating: 0, count: DigestCacheFormat.digestBytes)
      switch field {
      case .device: record.key.device &+= 1
      case .inode: record.key.inode &+= 1
      case .size: record.key.size &+= 1
      case .mtime: record.key.modified.seconds -= 1
      case .ctime: record.key.changed.seconds -= 1
      }
    }
    let second = try harness.walk()
    #expect(second.read.contains((victim as NSString).lastPathComponent))
    #expect(second.statistics.readChanged == 1)
    #expect(second.entries == first.entries)
  }

  /// The same record with only its digest wrong is trusted (the cache is believed, which is
  /// what makes it fast), unless it is the file's turn to be scrubbed.
  @Test func recordWithTheSameKeyIsTrusted() throws {
    let harness = try CacheHarness()
    _ = try harness.walk()
    let victim = harness.messages[23]
    let zero = [UInt8](repeating: 0, count: DigestCacheFormat.digestBytes)
    try harness.editCache { record in
      if harness.isRecord(record, of: victim) { record.digest = zero }
    }
    let second = try harness.walk()
    let name = (victim as NSString).lastPathComponent
    let entry = try #require(second.entries.first { $0.location.hasSuffix("/" + name) })
    #expect(second.statistics.readChanged == 0)
    #expect(second.read.contains(name) ? entry.digest != zero : entry.digest == zero)
  }

  /// How a message file really changes: every way is seen (a write moves the ctime too, which
  /// ``contentChangedWithSizeAndMtimeKeptIsReadAgain()`` isolates).
  enum Change: String, CaseIterable, Sendable {
    /// Bytes appended: the size grows.
    case appended
    /// Only the mtime set (`touch -d`): same content, new mtime.
    case touched
    /// Replaced by a copy renamed over it (`rsync` without `--inplace`): a new inode, size and
    /// mtime kept.
    case replaced
  }

  @Test(arguments: Change.allCases)
  func changedFileIsReadAgain(change: Change) throws {
    let harness = try CacheHarness()
    let first = try harness.walk()
    let victim = harness.messages[31]
    let path = harness.tree.path + "/" + victim
    let before = try harness.key(of: victim)
    switch change {
    case .appended:
      let handle = try #require(FileHandle(forWritingAtPath: path))
      handle.seekToEndOfFile()
      handle.write(Data("more\r\n".utf8))
      handle.closeFile()
    case .touched:
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSince1970: 1_000_000_000)], ofItemAtPath: path)
    case .replaced:
      let copy = path + "tmp"
      try FileManager.default.copyItem(atPath: path, toPath: copy)
      try FileManager.default.setAttributes(
        [.modificationDate: Date(timeIntervalSince1970: Double(before.modified.seconds))],
        ofItemAtPath: copy)
      #expect(rename(copy, path) == 0)
    }
    let after = try harness.key(of: victim)
    switch change {
    case .appended: #expect(after.size != before.size)
    case .touched: #expect(after.modified != before.modified && after.inode == before.inode)
    case .replaced: #expect(after.inode != before.inode && after.size == before.size)
    }
    let second = try harness.walk()
    #expect(second.read.contains((victim as NSString).lastPathComponent))
    #expect(second.statistics.readChanged == 1)
    let reference = try harness.walk(.full, cached: false)
    #expect(digests(second) == digests(reference))
    if change == .touched { #expect(digests(second) == digests(first)) }
  }

  /// Bit rot under an unchanged key is what the scrub is for: within N runs of `--scrub N` the
  /// file is read and its entry carries the rotted content's digest, which a full walk finds.
  @Test(arguments: [2, 4])
  func scrubFindsBitRotWithinItsPeriod(scrub: Int) throws {
    let harness = try CacheHarness()
    let first = try harness.walk(scrub: scrub)
    let victim = harness.messages[42]
    try harness.plantBitRot(victim)
    let rotted = digests(try harness.walk(.full, cached: false))
    #expect(rotted != digests(first))
    var found = 0
    for run in 1...scrub {
      let walk = try harness.walk(scrub: scrub)
      #expect(walk.statistics.readChanged == 0)
      if digests(walk) == rotted {
        found = run
        break
      }
      #expect(digests(walk) == digests(first))
    }
    #expect(found > 0)
  }

  /// `--scrub N`: over any N runs in a row every file is read at least once, a share per run.
  @Test func scrubReadsEveryFileWithinItsPeriod() throws {
    let harness = try CacheHarness(files: 120)
    _ = try harness.walk(scrub: 4)
    var read: Set<String> = []
    for _ in 0..<4 {
      let walk = try harness.walk(scrub: 4)
      #expect(walk.statistics.readChanged == 0)
      #expect(walk.read.count < 120)
      read.formUnion(walk.read.map { "\($0)" })
      #expect(walk.entries.filter { $0.kind == .file }.allSatisfy { $0.digest?.count == 32 })
    }
    let names = walkNames(harness)
    #expect(read == names)
  }

  /// A file changed less than the settle time before the walk may change again within the
  /// same clock tick: it is read, not cached.
  @Test func recentlyChangedFilesAreNotCached() throws {
    let harness = try CacheHarness()
    let now = Timestamp(seconds: Int64(Date().timeIntervalSince1970))
    let first = try harness.walk(startTime: now)
    #expect(first.statistics.written == 0)
    let second = try harness.walk(startTime: now)
    #expect(second.statistics.reused == 0 && second.statistics.readChanged == first.read.count)
  }

  /// `--level full` with a cache reads everything, and leaves a cache incremental then uses.
  @Test func fullReadsEverythingAndRefreshesTheCache() throws {
    let harness = try CacheHarness()
    _ = try harness.walk(.full)
    let again = try harness.walk(.full)
    #expect(again.statistics.reused == 0)
    #expect(again.read.count == again.entries.filter { $0.kind == .file }.count)
    let incremental = try harness.walk(.incremental)
    #expect(incremental.statistics.readChanged == 0 && incremental.statistics.reused > 0)
    #expect(incremental.entries == again.entries)
  }

  /// The directory must be this user's alone, and outside the instance's trees.
  @Test func cacheDirectoryIsChecked() throws {
    let harness = try CacheHarness()
    let instance = try harness.instance
    try DigestCacheDirectory.check(harness.cacheDirectory, for: instance)
    let fresh = harness.cacheDirectory + "/new"
    try DigestCacheDirectory.check(fresh, for: instance)
    let mode = try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? Int
    #expect(mode == 0o700)
    chmod(harness.cacheDirectory, 0o770)
    #expect(throws: CyrusStoreError.self) {
      try DigestCacheDirectory.check(harness.cacheDirectory, for: instance)
    }
    chmod(harness.cacheDirectory, 0o700)
    let inside = harness.tree.path + "/var/spool/cyrus/mail/cache"
    try FileManager.default.createDirectory(
      atPath: inside, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    let error = #expect(throws: CyrusStoreError.self) {
      try DigestCacheDirectory.check(inside, for: instance)
    }
    #expect(error?.detail.contains("partition-default") == true)
    // One not there yet is refused before it is made: nothing is created in the spool.
    let missing = harness.tree.path + "/var/spool/cyrus/mail/u/new-cache/"
    #expect(throws: CyrusStoreError.self) {
      try DigestCacheDirectory.check(missing, for: instance)
    }
    #expect(!FileManager.default.fileExists(atPath: missing))
  }

  private func walkNames(_ harness: CacheHarness) -> Set<String> {
    Set(harness.messages.map { ($0 as NSString).lastPathComponent })
  }
}
