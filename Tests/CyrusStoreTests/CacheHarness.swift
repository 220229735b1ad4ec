import Foundation
import Testing

@testable import CyrusStore

/// A spool and a cache directory, walked with a digest cache as a verify would, recording
/// which files each walk read. The walk's start is put an hour ahead, so that files written by
/// the test are old enough to be cached (``DigestCacheSettings/settleSeconds``).
final class CacheHarness {
  let tree: TemporaryTree
  let cacheDirectory: String
  /// Message files written by ``init(files:)``, relative to the tree.
  let messages: [String]

  /// Names read by one walk, collected from the hashing threads.
  final class ReadLog: @unchecked Sendable {
    private let lock = NSLock()
    private var names: [String] = []
    func add(_ name: [UInt8]) {
      lock.lock()
      names.append(String(decoding: name, as: UTF8.self))
      lock.unlock()
    }
    var all: [String] {
      lock.lock()
      defer { lock.unlock() }
      return names
    }
  }

  /// One walk's result.
  struct Walk {
    var entries: [ManifestEntry]
    var read: [String]
    var statistics: DigestCacheStatistics
  }

  /// `files` message files over ten mailboxes, each a few dozen bytes.
  init(files: Int = 60) throws {
    tree = try TemporaryTree()
    try tree.makeInstance()
    var messages: [String] = []
    for index in 0..<files {
      let path = "var/spool/cyrus/mail/u/user/box\(index % 10)/\(index + 1)."
      try tree.write(path, "Subject: message \(index)\r\n\r\nbody \(index)\r\n")
      messages.append(path)
    }
    self.messages = messages
    cacheDirectory = tree.path + "-cache"
    try FileManager.default.createDirectory(
      atPath: cacheDirectory, withIntermediateDirectories: false,
      attributes: [.posixPermissions: 0o700])
  }

  deinit { try? FileManager.default.removeItem(atPath: cacheDirectory) }

  var instance: CyrusInstance {
    get throws { try CyrusInstance.locate(tree.path) }
  }

  /// The cache file of this tree's instance.
  var cacheFile: String {
    get throws {
      cacheDirectory + "/" + DigestCacheFormat.fileName(for: DigestCacheIdentity(try instance))
    }
  }

  /// Walks the tree with the cache at `level` (`nil`: no cache, for reference entries).
  func walk(
    _ level: VerifyLevel = .incremental, scrub: Int = DigestCacheSettings.maxScrubRuns,
    jobs: Int = 1, startTime: Timestamp? = nil, cached: Bool = true
  ) throws -> Walk {
    var options = WalkOptions(level: level, hashJobs: jobs)
    if cached {
      var settings = DigestCacheSettings(
        directory: cacheDirectory, trusted: level == .incremental, scrubRuns: scrub)
      settings.startTime =
        startTime ?? Timestamp(seconds: Int64(Date().timeIntervalSince1970) + 3600)
      options.cache = settings
    }
    let log = ReadLog()
    options.beforeHashing = { log.add($0) }
    let walker = InstanceWalker(instance: try instance, options: options)
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return Walk(
      entries: entries, read: log.all, statistics: walker.cacheStatistics ?? DigestCacheStatistics()
    )
  }

  /// Rewrites the cache file record by record through `edit`, with valid checks, as a walk
  /// would have written it: for a cache that says what a test needs it to say.
  func editCache(_ edit: (inout DigestCacheRecord) throws -> Void) throws {
    let identity = DigestCacheIdentity(try instance)
    let name = DigestCacheFormat.fileName(for: identity)
    let directory = DigestCacheDirectory.open(cacheDirectory)
    precondition(directory >= 0, "the harness made \(cacheDirectory)")
    defer { close(directory) }
    let reader = try DigestCacheReader(name: name, in: directory, identity: identity)
    let writer = DigestCacheWriter(
      directory: directory, name: name, identity: identity, run: reader.run)
    while var record = reader.next() {
      try edit(&record)
      writer.append(record)
    }
    #expect(reader.damage == nil)
    let totals = try #require(reader.totals)
    writer.commit(files: totals.files, bytes: totals.bytes)
    #expect(writer.failure == nil)
  }

  /// Whether `record` is the one of the message file `relative` (unique base names).
  func isRecord(_ record: DigestCacheRecord, of relative: String) -> Bool {
    let name = "/" + (relative as NSString).lastPathComponent
    return String(decoding: record.path, as: UTF8.self).hasSuffix(name)
  }

  /// The key `fstatat` sees for `relative` now.
  func key(of relative: String) throws -> FileKey {
    var info = stat()
    guard lstat(tree.path + "/" + relative, &info) == 0 else {
      throw CocoaError(.fileReadNoSuchFile)
    }
    return FileKey(info)
  }

  /// Bit rot as a cache sees it: `relative`'s content changes while its record keeps the old
  /// digest under the file's present key (device, inode, size, mtime and ctime all match), as
  /// when the disk changes bytes under the file system.
  func plantBitRot(_ relative: String) throws {
    let path = tree.path + "/" + relative
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[bytes.count / 2] ^= 0x20
    let before = try FileManager.default.attributesOfItem(atPath: path)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes(
      [.modificationDate: before[.modificationDate] as Any], ofItemAtPath: path)
    let key = try key(of: relative)
    var planted = false
    try editCache { record in
      if isRecord(record, of: relative) {
        record.key = key
        planted = true
      }
    }
    precondition(planted, "\(relative) is a message file the harness wrote")
  }

  /// Writes `text` over a file, then sets its mtime back: only its ctime tells.
  func rewriteKeepingMtime(_ relative: String, _ text: String) throws {
    let path = tree.path + "/" + relative
    let before = try FileManager.default.attributesOfItem(atPath: path)
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes(
      [.modificationDate: before[.modificationDate] as Any], ofItemAtPath: path)
  }
}
