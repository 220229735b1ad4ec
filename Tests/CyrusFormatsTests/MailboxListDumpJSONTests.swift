import Testing

@testable import CyrusFormats

@Suite("MailboxListDump 3.6 JSON")
struct MailboxListDumpJSONTests {
  static let live = MailboxEntry(
    name: MailboxName("user.fred"), type: MailboxType(kind: .email, flags: [.legacyDirs]),
    partition: "default",
    acl: ACL(tabSeparated: "fred\tlrswipkxtecdan\t"), uniqueID: "4b3c1a2f477a2b80",
    uidValidity: 1_199_145_600,
    mtime: 1_694_012_345)
  static let tombstone = MailboxEntry(
    name: MailboxName("user.x.Old"), type: MailboxType(kind: .email, flags: [.deleted]),
    uniqueID: "u2",
    uidValidity: 7, createdModseq: 1, folderModseq: 4, mtime: 9)

  static let liveLine =
    #""user.fred": {"name": "user.fred", "mtime": "1694012345", "uidvalidity": "1199145600", "createdmodseq": "0", "foldermodseq": "0", "mbtype": "el", "partition": "default", "acl": {"fred": "lrswipkxtecdan"}, "uniqueid": "4b3c1a2f477a2b80", "name_history": []}"#
  static let tombstoneLine =
    #""user.x.Old": {"name": "user.x.Old", "mtime": "9", "uidvalidity": "7", "createdmodseq": "1", "foldermodseq": "4", "mbtype": "ed", "acl": {}, "uniqueid": "u2", "name_history": []}"#

  @Test func printsMembersInDumpCbOrder() {
    #expect(String(decoding: MailboxListDump.json36Line(Self.live), as: UTF8.self) == Self.liveLine)
    #expect(
      String(decoding: MailboxListDump.json36Line(Self.tombstone), as: UTF8.self)
        == Self.tombstoneLine)
  }

  @Test func printsWholeDocument() {
    let doc = MailboxListDump.json36Document([Self.live, Self.tombstone])
    #expect(
      String(decoding: doc, as: UTF8.self) == "{\n" + Self.liveLine + ",\n" + Self.tombstoneLine
        + "\n}\n")
    #expect(MailboxListDump.json36Document([]) == ascii("{\n\n}\n"))
  }

  @Test func parsesWhatItPrints() throws {
    let doc = MailboxListDump.json36Document([Self.live, Self.tombstone])
    let (format, entries) = try MailboxListDump.parse(doc)
    #expect(format == .cyrus36)
    #expect(entries == [Self.live, Self.tombstone])
    #expect(try MailboxListDump.parse(ascii("{\n\n}\n")).entries.isEmpty)
    #expect(try MailboxListDump.parseJSONDocument(doc) == [Self.live, Self.tombstone])
  }

  @Test func printsServerSpecialUseAndHistory() {
    var e = MailboxEntry(name: MailboxName("user.a"), server: "be1", legacySpecialUse: "\\Sent")
    e.nameHistory = [
      .init(name: MailboxName("user.b"), mtime: 3, type: MailboxType(), partition: "p")
    ]
    e.acl = ACL(tabSeparated: "a\tlr\tb\tl\ta\tlrs\t")
    let line = String(decoding: MailboxListDump.json36Line(e), as: UTF8.self)
    #expect(
      line
        == #""user.a": {"name": "user.a", "mtime": "0", "uidvalidity": "0", "createdmodseq": "0", "foldermodseq": "0", "mbtype": "e", "server": "be1", "acl": {"a": "lrs", "b": "l"}, "legacy_specialuse": "\\Sent", "name_history": [{"name": "user.b", "mtime": "3", "uidvalidity": "0", "createdmodseq": "0", "foldermodseq": "0", "mbtype": "e", "partition": "p"}]}"#
    )
  }

  @Test func escapesLikeJansson() {
    let s = JSONValue.string("a\"b\\c/d\u{1}\u{1F}\t\n\u{7F}é").janssonText()
    #expect(s == #""a\"b\\c/d\u0001\u001F\t\n"# + "\u{7F}é\"")
    #expect(JSONValue.object([]).janssonText() == "{}")
    #expect(JSONValue.array([.null, .bool(true), .number("1")]).janssonText() == "[null, true, 1]")
  }

  static let badDocs: [(String, MailboxListDumpError.Kind, Int, Int)] = [
    ("{\n\"a\": {\"mbtype\": \"e\"}\n", .unexpectedEnd, 2, 1),
    ("{\n\"a\": {\"mbtype\": \"e\"},\n}\n", .badJSON, 3, 1),
    ("{\n\"a\": {\"mbtype\": \"e\"}\n\"b\": {}\n}\n", .badJSON, 3, 1),
    ("{\n\"a\": {\"mbtype\": \"q\"}\n}\n", .badMailboxType, 2, 1),
    ("{\n\"a\": {\"uidvalidity\": \"x\"}\n}\n", .badNumber, 2, 1),
    ("{\n\"a\": {\"x\": tru}\n}\n", .badJSON, 2, 12),
    ("{\n\"a\": {}, \"b\": {}\n}\n", .badJSON, 2, 1),
    ("{\n}\n}\n", .badJSON, 3, 1),
    ("{\n\n}\nx\n", .badJSON, 4, 1),
  ]

  @Test(arguments: badDocs)
  func reportsJSONErrors(text: String, kind: MailboxListDumpError.Kind, line: Int, column: Int) {
    do {
      _ = try MailboxListDump.parse(ascii(text), format: .cyrus36)
      Issue.record("accepted")
    } catch let e as MailboxListDumpError {
      #expect(e.kind == kind)
      #expect(e.line == line)
      #expect(e.column == column)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  static let badJSON: [String] = [
    "", "{", "{\"a\":1,}", "[1,]", "01", "1.", "\"\\x\"", "\"\u{1}\"", "\"\\ud800\"",
    "{\"a\":1,\"a\":2}", "nul", "[] []",
  ]

  @Test(arguments: badJSON)
  func strictJSONReaderRejects(text: String) {
    #expect(throws: JSONError.self) { try JSONValue.parse(ascii(text)) }
  }

  @Test func jsonReaderDecodesEscapes() throws {
    #expect(
      try JSONValue.parse(ascii(#" {"k": ["\u00e9\ud83d\ude00\/", -1.5e3, false, null]} "#))
        == .object([.init("k", .array([.string("é😀/"), .number("-1.5e3"), .bool(false), .null]))]))
    #expect(throws: JSONError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
  }
}
