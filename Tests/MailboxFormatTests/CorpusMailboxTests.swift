import Foundation
import TestSupport
import Testing

@testable import CyrusFormats

/// Real Cyrus 3.6.1 files: corpora/cyrusdb/ and the spool of corpora/example.tar.gz
/// (provenance: corpora/README.md).
enum MailboxCorpus {
  static let root: URL = {
    // …/Tests/MailboxFormatTests/CorpusMailboxTests.swift → repository root.
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
  }()

  static func file(_ name: String) throws -> [UInt8] {
    let path = root.appendingPathComponent("corpora/cyrusdb/\(name)").path
    return [UInt8](try #require(FileManager.default.contents(atPath: path), "missing \(name)"))
  }

  static func run(_ tool: String, _ arguments: [String], in directory: URL? = nil) throws -> String
  {
    try TestPrograms.run([tool] + arguments, in: directory?.path).stdout
  }

  /// The primary's mailbox directories (each holding a cyrus.header), from the tarball
  /// unpacked once into a temporary directory.
  static let mailboxDirectories: [URL] = {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("mailbox-corpus-\(getpid())")
    try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let tarball = root.appendingPathComponent("corpora/example.tar.gz").path
    _ = try? run(
      "/bin/tar", ["-xzf", tarball, "-C", dir.path, "primary/var/spool/cyrus/mail/uuid"])
    let spool = dir.appendingPathComponent("primary/var/spool/cyrus/mail/uuid")
    let all =
      FileManager.default.enumerator(at: spool, includingPropertiesForKeys: nil)?
      .compactMap { $0 as? URL } ?? []
    return all.filter { $0.lastPathComponent == "cyrus.header" }
      .map { $0.deletingLastPathComponent() }.sorted { $0.path < $1.path }
  }()
}

@Suite("real Cyrus 3.6.1 mailbox files")
struct CorpusMailboxTests {
  @Test("anna's INBOX: header and index from corpora/cyrusdb")
  func annaInbox() throws {
    let header = try MailboxHeader.parse(try MailboxCorpus.file("anna-INBOX.cyrus.header"))
    #expect(header.layout == .dlist)
    #expect(header.name == "user.anna")
    #expect(header.uniqueID == "ddnk486bsfk5mjgob39anziz")
    #expect(header.acl == ACL(tabSeparated: "anna\tlrswipkxtecdan\t"))
    let reader = try IndexReader(try MailboxCorpus.file("anna-INBOX.cyrus.index"))
    #expect(reader.header.version.minor == 17)
    #expect(reader.header.headerFileCRC == header.fileCRC)
    var records: [IndexRecord] = []
    let summary = try reader.forEachRecord(userFlags: header.userFlags) { records.append($0) }
    #expect(summary.isClean, "\(summary.problems)")
    #expect(records.map(\.uid) == Array(1...8))
    #expect(records.filter(\.isExpunged).map(\.uid) == [2, 5])
    #expect(records.filter { $0.ownerSeen == true && !$0.isExpunged }.map(\.uid) == [1, 3, 7, 8])
    #expect(records.first { $0.uid == 7 }?.systemFlags.contains(.flagged) == true)
  }

  @Test("every mailbox of the example spool: counts, sizes, GUID = SHA-1, CRCs")
  func exampleSpool() throws {
    let dirs = MailboxCorpus.mailboxDirectories
    #expect(dirs.count == 17)
    var live = 0
    var files = 0
    for dir in dirs {
      let header = try MailboxHeader.parse(
        [UInt8](try Data(contentsOf: dir.appendingPathComponent("cyrus.header"))))
      #expect(header.uniqueID == dir.lastPathComponent)
      let reader = try IndexReader(
        [UInt8](try Data(contentsOf: dir.appendingPathComponent("cyrus.index"))))
      #expect(reader.header.headerFileCRC == header.fileCRC)
      var records: [IndexRecord] = []
      let summary = try reader.forEachRecord(userFlags: header.userFlags) { records.append($0) }
      #expect(summary.isClean, "\(dir.lastPathComponent): \(summary.problems)")
      #expect(records.allSatisfy { $0.checksum == .valid })

      let names = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        .filter { $0.hasSuffix(".") && UInt32($0.dropLast()) != nil }
      let expected = records.filter { !$0.isUnlinked }
      #expect(Set(names) == Set(expected.map { "\($0.uid)." }), "\(dir.lastPathComponent)")
      live += records.filter { !$0.isExpunged }.count
      files += names.count
      guard !names.isEmpty else { continue }
      // sha1sum prints "<hex>  <name>" per file.
      var sha1: [String: String] = [:]
      for line in try MailboxCorpus.run("/usr/bin/sha1sum", names.sorted(), in: dir)
        .split(separator: "\n")
      {
        let parts = line.split(separator: " ", maxSplits: 1)
        sha1[String(parts[1].drop { $0 == " " || $0 == "*" })] = String(parts[0])
      }
      for r in expected {
        let path = dir.appendingPathComponent("\(r.uid).").path
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == Int(r.size), "\(path)")
        #expect(sha1["\(r.uid)."] == r.guid.hex, "\(path)")
      }
    }
    #expect(live == 32)
    #expect(files == 34)
  }

  @Test("bert's seen.db values and the sequence sets in them")
  func seen() throws {
    let (records, _) = try TwoskipReader(try MailboxCorpus.file("bert.seen.twoskip.db"))
      .allRecords()
    let values = try records.map { try SeenValue(parsing: $0.value) }
    #expect(values.count == 2)
    #expect(values.map(\.seen) == [SequenceSet(ranges: [1...2]), SequenceSet(uids: [1])])
    #expect(values.allSatisfy { $0.lastRead == 1_795_974_221 })
  }

  @Test("anna's and bert's 3.6 sub.db")
  func subscriptions() throws {
    let (anna, _) = try FlatReader(try MailboxCorpus.file("anna.sub.flat.db")).allRecords()
    let a = try Subscriptions(records: anna, userid: "anna")
    #expect(a.layout == .version2)
    #expect(
      a.mailboxes
        == Set(
          [
            "user.anna", "user.anna.Archive", "user.anna.Entw&APw-rfe", "user.anna.Sent",
            "shared.announcements",
          ]
          .map(MailboxName.init)))
    let (bert, _) = try FlatReader(try MailboxCorpus.file("bert.sub.flat.db")).allRecords()
    let b = try Subscriptions(records: bert, userid: "bert")
    #expect(b.mailboxes.contains(MailboxName("user.bert.Old Stuff")))
    #expect(b.mailboxes.contains(MailboxName("user.anna.Projects")))
    #expect(b.mailboxes.count == 6)
  }

  @Test("carla's quota file")
  func quota() throws {
    let q = try QuotaRecord.parse(try MailboxCorpus.file("quota.user.carla"))
    #expect(q.layout == .dlist)
    #expect(q.usage == [.storage: 1_107_622, .message: 7, .annotationStorage: 0, .folders: 4])
    #expect(q.limits == [.storage: 5120, .message: 100])
    #expect(q.modseq == 12)
  }
}
