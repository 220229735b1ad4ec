import CyrusFormats
import CyrusStore
import Foundation
import Testing

/// The mailbox-list stage of verify on the real-Cyrus pair: the failover's mailboxes.db or
/// mailboxlist.txt changed in exactly one way, the complete finding set asserted.
@Suite(.serialized) struct MailboxListVerifyTests {
  var failoverDatabase: (Corpus) -> String = { $0.failover + "/var/lib/cyrus/mailboxes.db" }

  /// The primary's mailboxes.db records, read with our own reader.
  func records(_ corpus: Corpus) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try CyrusDatabaseFile(path: corpus.primary + "/var/lib/cyrus/mailboxes.db").forEachRecord {
      records.append($0)
    }
    return records
  }

  /// Writes `records` as a flat cyrusdb file (2.5+ escaping), sorted as Cyrus's flat backend sorts.
  func writeFlat(_ records: [CyrusDBRecord], to path: String) throws {
    var bytes: [UInt8] = []
    for record in records {
      bytes +=
        FlatReader<[UInt8]>.encode(record.key) + [0x09] + FlatReader<[UInt8]>.encode(record.value)
        + [0x0A]
    }
    try overwrite(path, with: bytes)
  }

  /// Replaces a file's content in place, keeping its inode, mode and owner, so that only the
  /// content (and size) differ from the primary's copy.
  func overwrite(_ path: String, with bytes: [UInt8]) throws {
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
  }

  func liveMailbox(_ records: [CyrusDBRecord], named name: String) -> Int? {
    let key = [UInt8(ascii: "N")] + Array(name.utf8).map { $0 == 0x2E ? 0x1F : $0 }
    return records.firstIndex { $0.key == key }
  }

  @Test func mailboxMissingFromTheFailoverList() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    var all = try records(corpus)
    let index = try #require(
      liveMailbox(all, named: "user.carla.Projects"), "corpus lacks user.carla.Projects")
    let removed = all.remove(at: index)
    let dlist = try Dlist.parse(removed.value)
    let uniqueID = try #require(dlist["I"]?.text)
    all.removeAll { $0.key == [UInt8(ascii: "I")] + Array(uniqueID.utf8) }
    try writeFlat(all, to: failoverDatabase(corpus))
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // mailboxes.db's size: explained by mailbox.missing, not a finding of its own.
    #expect(
      result.findings
        == [
          "mailbox.directory-orphan user.carla.Projects [failover]",
          "mailbox.missing user.carla.Projects [failover]",
          "mailboxlist.stale user.carla.Projects [failover]",
        ].sorted())
    #expect(result.status == 1)
  }

  @Test func aclChangedOnTheFailover() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    var all = try records(corpus)
    let index = try #require(liveMailbox(all, named: "user.anna"))
    let text = String(decoding: all[index].value, as: UTF8.self)
    let changed = text.replacingOccurrences(
      of: "A %(anna ", with: "A %(intruder lrswipkxtecdan anna ")
    try #require(changed != text, "user.anna's ACL did not have the expected form: \(text)")
    all[index].value = Array(changed.utf8)
    try writeFlat(all, to: failoverDatabase(corpus))
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // One difference, one finding: the ACL (per identifier); mailboxes.db's size is explained
    // by it. The failover's dump, not rewritten, is stale on that side.
    #expect(
      result.findings
        == ["mailbox.acl-mismatch user.anna [both]", "mailboxlist.stale user.anna [failover]"])
    let finding = (result.json["findings"] as? [[String: Any]])?.first {
      $0["code"] as? String == "mailbox.acl-mismatch"
    }
    #expect(finding?["identifier"] as? String == "intruder")
    #expect(finding?["primary"] as? String == "none")
    #expect(finding?["failover"] as? String == "lrswipkxtecdan")
  }

  @Test func unsafeMailboxNameIsReportedAndNeverUsedAsAPath() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    var all = try records(corpus)
    all.append(
      CyrusDBRecord(
        key: Array("Nuser\u{1F}bad\u{01}name".utf8),
        value: Array("%(T el I zzzz00000000000000000000 P default V 1 M 1 A %(x lr))".utf8)))
    all.sort { $0.key.lexicographicallyPrecedes($1.key) }
    try writeFlat(all, to: failoverDatabase(corpus))
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    let codes = result.findings.map { String($0.split(separator: " ")[0]) }
    #expect(codes.contains("mailbox.name-unsafe"))
    #expect(codes.contains("mailbox.extra"))
    #expect(
      !codes.contains("mailbox.directory-missing"),
      "an unsafe name must never be turned into a path")
    #expect(result.status == 1)
  }

  @Test func sameListInAnotherBackendIsConsistent() throws {
    // The failover's Cyrus converted mailboxes.db to another backend: the files differ, the
    // mailbox list does not.
    let corpus = try Corpus()
    try corpus.copyFailover()
    try writeFlat(try records(corpus), to: failoverDatabase(corpus))
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings == ["mailboxes-db.rewritten - [both]"])
    let rewritten = Tool.findingObjects(result.json).first
    #expect(rewritten?["severity"] as? String == "info")
    #expect(rewritten?["path"] as? String == "mailboxes.db")
    #expect(result.status == 0)
  }

  @Test func staleDumpOnBothSides() throws {
    let corpus = try Corpus()
    let dump = corpus.primary + "/var/lib/cyrus/mailboxlist.txt"
    var lines = try String(contentsOfFile: dump, encoding: .utf8).components(separatedBy: "\n")
    let index = try #require(
      lines.firstIndex { $0.hasPrefix("\"user.bert.Archive") || $0.hasPrefix("\"user.bert\"") })
    lines.remove(at: index)
    if lines[index - 1].hasSuffix(","), lines[index].hasPrefix("}") {
      lines[index - 1].removeLast()
    }
    try overwrite(dump, with: Array(lines.joined(separator: "\n").utf8))
    try corpus.copyFailover()
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // The same stale dump on each side: one condition, side both; the copy is faithful.
    #expect(result.findings == ["mailboxlist.stale user.bert [both]"])
    #expect(result.status == 0)
    let strict = try Tool.verify([
      "--primary", corpus.primary, "--failover", corpus.failover, "--fail-on-shared",
    ])
    #expect(strict.findings == result.findings)
    #expect(strict.status == 1)
  }

  @Test func truncatedFailoverDatabaseCannotBeVerified() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let path = failoverDatabase(corpus)
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    try overwrite(path, with: [UInt8](data.prefix(data.count / 2)))
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // Unread, mailboxes.db's bytes stay a difference; the primary's stale subscriptions are now
    // seen on the primary only (the failover's list cannot say).
    #expect(
      result.findings.filter { !$0.hasPrefix("subscriptions.unknown-mailbox") } == [
        "file.size-mismatch config:mailboxes.db", "mailboxes-db.unreadable - [failover]",
      ])
    let unknown = Tool.findingObjects(result.json).filter {
      $0["code"] as? String == "subscriptions.unknown-mailbox"
    }
    #expect(unknown.count == 2)
    #expect(unknown.allSatisfy { $0["side"] as? String == "primary" })
    #expect(result.status == 2)
    let detail =
      (result.json["findings"] as? [[String: Any]])?.first {
        $0["code"] as? String == "mailboxes-db.unreadable"
      }?["detail"] as? String
    #expect(detail?.contains("mailboxes.db") == true)
  }
}
