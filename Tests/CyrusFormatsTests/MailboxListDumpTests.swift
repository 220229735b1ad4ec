import Testing

@testable import CyrusFormats

@Suite("MailboxListDump text formats")
struct MailboxListDumpTextTests {
  static let fred = MailboxEntry(
    name: MailboxName("user.fred"), type: MailboxType(), partition: "default",
    acl: ACL(tabSeparated: "fred\tlrswipcda\tanyone\tlr\t"))
  static let joe = MailboxEntry(
    name: MailboxName("user.joe"), type: MailboxType(kind: .email, flags: [.remote]),
    partition: "default",
    server: "backend2", acl: ACL(tabSeparated: "joe\tlrswipkxtecdan\t"))

  static let lineCases: [(MailboxListDump.Format, String, String)] = [
    (
      .cyrus22, "user.fred\tdefault\tfred\tlrswipcda\tanyone\tlr\t\n",
      "user.joe\tbackend2!default\tjoe\tlrswipkxtecdan\t\n"
    ),
    (
      .cyrus22Debian, "user.fred\t0 default\tfred\tlrswipcda\tanyone\tlr\t\n",
      "user.joe\t1 backend2!default\tjoe\tlrswipkxtecdan\t\n"
    ),
    (
      .cyrus23, "user.fred\t0 default fred\tlrswipcda\tanyone\tlr\t\n",
      "user.joe\t1 backend2!default joe\tlrswipkxtecdan\t\n"
    ),
    (
      .cyrus30, "user.fred\t0 default fred\tlrswipcda\tanyone\tlr\t\n",
      "user.joe\t1 backend2!default joe\tlrswipkxtecdan\t\n"
    ),
  ]

  @Test(arguments: lineCases)
  func printsAndParsesLines(format: MailboxListDump.Format, fredLine: String, joeLine: String)
    throws
  {
    #expect(
      String(decoding: MailboxListDump.textLine(Self.fred, format: format), as: UTF8.self)
        == fredLine)
    #expect(
      String(decoding: MailboxListDump.textLine(Self.joe, format: format), as: UTF8.self) == joeLine
    )
    let (detected, entries) = try MailboxListDump.parse(ascii(fredLine + joeLine), format: format)
    #expect(detected == format)
    var expectedJoe = Self.joe
    if format == .cyrus22 { expectedJoe.type = MailboxType() }
    #expect(entries == [Self.fred, expectedJoe])
    #expect(
      Array(entries.map { MailboxListDump.textLine($0, format: format) }.joined())
        == ascii(fredLine + joeLine))
  }

  static let detectCases: [(String, MailboxListDump.Format?)] = [
    ("user.fred\tdefault\tfred\tlrs\t", .cyrus22),
    ("user.fred\t0 default\tfred\tlrs\t", .cyrus22Debian),
    ("user.fred\t0 default fred\tlrs\t", .cyrus23),
    ("user.joe\t1 be!default joe\tlrs\t", .cyrus30),
    ("user.fred\t2ndpart\tfred\tlrs\t", .cyrus22),
    ("{", .cyrus36),
    ("no tab here", nil),
  ]

  @Test(arguments: detectCases)
  func detectsFormat(line: String, format: MailboxListDump.Format?) {
    #expect(MailboxListDump.detect(firstLine: ascii(line)) == format)
  }

  static let badLines: [(MailboxListDump.Format, String, MailboxListDumpError.Kind, Int)] = [
    (.cyrus23, "user.fred 0 default", .missingTab, 20),
    (.cyrus23, "\t0 default fred\tlrs\t", .malformedLine, 1),
    (.cyrus23, "user.fred\tx default fred\tlrs\t", .badMailboxType, 11),
    (.cyrus23, "user.fred\t4096 default fred\tlrs\t", .badMailboxType, 11),
    (.cyrus23, "user.fred\t0default", .malformedLine, 12),
    (.cyrus23, "user.fred\t0 default", .malformedLine, 20),
    (.cyrus22, "user.fred\tdefault", .missingTab, 18),
    (.cyrus22Debian, "user.fred\t0 default fred", .missingTab, 25),
  ]

  @Test(arguments: badLines)
  func reportsLineAndColumn(
    format: MailboxListDump.Format, line: String, kind: MailboxListDumpError.Kind, column: Int
  ) {
    let text = "user.ok\t0 default \n" + line + "\n"
    let okLine =
      format == .cyrus22
      ? "user.ok\tdefault\t\n"
      : format == .cyrus22Debian ? "user.ok\t0 default\t\n" : "user.ok\t0 default \n"
    do {
      _ = try MailboxListDump.parse(ascii(okLine + line + "\n"), format: format)
      Issue.record("accepted \(text)")
    } catch let e as MailboxListDumpError {
      #expect(e.kind == kind)
      #expect(e.line == 2)
      #expect(e.column == column)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }

  @Test func overLongLineIsRejectedLikeCyrusFgets() throws {
    let acl = String(repeating: "x", count: 16_382 - "user.fred\t0 default ".utf8.count)
    let fits = "user.fred\t0 default " + acl
    #expect(fits.utf8.count == MailboxListDump.maxTextLineLength)
    #expect(try MailboxListDump.parse(ascii(fits + "\n"), format: .cyrus23).entries.count == 1)
    #expect(throws: MailboxListDumpError.self) {
      try MailboxListDump.parse(ascii(fits + "y\n"), format: .cyrus23)
    }
    // Streaming without a newline: the parser gives up once the line cannot fit.
    var parser = MailboxListDumpParser(format: .cyrus23)
    #expect(throws: MailboxListDumpError.self) {
      try parser.feed([UInt8](repeating: 0x61, count: 20_000)) { _ in }
    }
  }

  @Test func acceptsCRLFAndRejectsMissingFinalNewline() throws {
    #expect(
      try MailboxListDump.parse(ascii("user.fred\t0 default fred\tlrs\t\r\n")).entries.first?.acl
        .tabSeparated == "fred\tlrs\t")
    #expect(
      throws: MailboxListDumpError(
        .unexpectedEnd, line: 2, column: 21, detail: "last line has no LF")
    ) {
      try MailboxListDump.parse(ascii("user.a\t0 default \nuser.fred\t0 default "))
    }
    #expect(throws: MailboxListDumpError.self) { try MailboxListDump.parse(ascii("garbage\n")) }
  }

  @Test func streamsInSmallChunks() throws {
    let text = ascii(Self.lineCases[2].1 + Self.lineCases[2].2)
    var parser = MailboxListDumpParser()
    var entries: [MailboxEntry] = []
    for i in stride(from: 0, to: text.count, by: 7) {
      try parser.feed(text[i..<min(i + 7, text.count)]) { entries.append($0) }
    }
    try parser.finish()
    #expect(parser.format == .cyrus23)
    #expect(entries == [Self.fred, Self.joe])
  }

  @Test func namesUnsafeAsPathsAreParsedAndFlagged() throws {
    let entries = try MailboxListDump.parse(
      ascii("user.fred/../x\t0 default \nuser..y\t0 default \n")
    ).entries
    #expect(entries.map(\.name.isSafeAsPath) == [false, false])
  }
}
