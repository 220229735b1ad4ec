import CyrusFormats
import CyrusStore
import Foundation
import TestSupport

/// The example pair made by a real Cyrus 3.6 (`scripts/make-corpus.sh`), extracted into a fresh
/// temporary directory for one test, and removed afterwards.
final class Corpus {
  let directory: String
  var primary: String { directory + "/primary" }
  var failover: String { directory + "/failover" }
  /// The primary's spool root (partition-default).
  var primarySpool: String { primary + "/var/spool/cyrus/mail" }
  var failoverSpool: String { failover + "/var/spool/cyrus/mail" }

  init() throws {
    directory = NSTemporaryDirectory() + "cyrus-failover-corpus-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try CorpusArchive.extract(into: directory)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// Replaces the shipped failover with a fresh copy of the primary made by real rsync:
  /// `-aH` keeps hard links (a faithful copy), plain `-a` is what the seed procedure does.
  func copyFailover(keepHardLinks: Bool = true) throws {
    try? FileManager.default.removeItem(atPath: failover)
    try Tool.must([
      "rsync", keepHardLinks ? "-aH" : "-a", "--delete", primary + "/", failover + "/",
    ])
  }

  /// Spool files of the primary whose name is a message file (`<uid>.`), relative to the
  /// spool root, sorted; with `linked`, only those with more (or only one) hard link.
  func messageFiles(linked: Bool? = nil) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: primarySpool) else { return [] }
    var result: [String] = []
    for case let relative as String in enumerator {
      let name = (relative as NSString).lastPathComponent
      guard name.hasSuffix("."), Int(name.dropLast()) != nil else { continue }
      var info = stat()
      guard lstat(primarySpool + "/" + relative, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG
      else { continue }
      if let linked, linked != (info.st_nlink > 1) { continue }
      result.append(relative)
    }
    return result.sorted()
  }

  /// The mailbox name in a 3.6 cyrus.header (`N` field) of a spool directory.
  func headerName(of directory: String) -> String? {
    guard
      let data = FileManager.default.contents(
        atPath: primarySpool + "/" + directory + "/cyrus.header")
    else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    guard let range = text.range(of: " N ") else { return nil }
    let rest = text[range.upperBound...]
    if rest.hasPrefix("\"") {
      return rest.dropFirst().split(separator: "\"", maxSplits: 1).first.map(String.init)
    }
    return rest.split(separator: " ", maxSplits: 1).first.map(String.init)
  }

  /// Sets \Flagged on the first record of the failover's index of the first mailbox with a
  /// message, with a valid record CRC (a change a copy could carry, not damage to the record).
  /// Returns that mailbox directory, relative to the spool.
  @discardableResult
  func toggleFlaggedInFailoverIndex() throws -> String {
    guard let message = try messageFiles(linked: false).first else {
      throw ToolError(message: "no message")
    }
    let mailbox = (message as NSString).deletingLastPathComponent
    let index = failoverSpool + "/" + mailbox + "/cyrus.index"
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index)))
    // Minor 17: records of 112 bytes from offset 160; system_flags at +32, record CRC at +108.
    guard bytes.count >= 160 + 112, bytes[8..<12] == [0, 0, 0, 17] else {
      throw ToolError(message: "\(index) is not a minor-17 index with records")
    }
    bytes[160 + 35] ^= 0x02
    let crc = CRC32.checksum(Array(bytes[160..<(160 + 108)]))
    bytes.replaceSubrange(
      (160 + 108)..<(160 + 112), with: [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: crc >> $0) })
    guard let handle = FileHandle(forWritingAtPath: index) else {
      throw ToolError(message: "cannot write \(index)")
    }
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
    return mailbox
  }

  /// Drops the last subscription of the first `sub.db` in the failover's config directory,
  /// rewriting it as a flat file in place. Returns its path relative to the config directory.
  @discardableResult
  func dropFailoverSubscription() throws -> String {
    let root = failover + "/var/lib/cyrus"
    guard let enumerator = FileManager.default.enumerator(atPath: root) else {
      throw ToolError(message: "no config dir")
    }
    for case let relative as String in enumerator
    where (relative as NSString).lastPathComponent == "sub.db" {
      var records: [CyrusDBRecord] = []
      try CyrusDatabaseFile(path: root + "/" + relative).forEachRecord { records.append($0) }
      guard records.count >= 2 else { continue }
      records.removeLast()
      var bytes: [UInt8] = []
      for record in records {
        bytes +=
          FlatReader<[UInt8]>.encode(record.key) + [0x09] + FlatReader<[UInt8]>.encode(record.value)
          + [0x0A]
      }
      guard let handle = FileHandle(forWritingAtPath: root + "/" + relative) else {
        throw ToolError(message: "cannot write")
      }
      try handle.truncate(atOffset: 0)
      try handle.write(contentsOf: Data(bytes))
      try handle.close()
      return relative
    }
    throw ToolError(message: "no sub.db with two subscriptions")
  }

  /// Mailbox directories (holding cyrus.header) of the primary spool, relative, sorted.
  func mailboxDirectories() throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: primarySpool) else { return [] }
    var result: [String] = []
    for case let relative as String in enumerator
    where (relative as NSString).lastPathComponent == "cyrus.header" {
      result.append((relative as NSString).deletingLastPathComponent)
    }
    return result.sorted()
  }
}
