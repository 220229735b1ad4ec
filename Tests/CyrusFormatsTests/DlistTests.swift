import Testing

@testable import CyrusFormats

@Suite("Dlist")
struct DlistTests {
  /// (string, how Cyrus prints it).
  static let printCases: [(String, String)] = [
    ("default", "default"),
    ("", "\"\""),
    ("NIL", "\"NIL\""),
    ("My Folder", "\"My Folder\""),
    ("user\u{1F}fred", "user\u{1F}fred"),
    ("example.com\u{1D}user\u{1F}fred", "\"example.com\u{1D}user\u{1F}fred\""),
    ("a(b", "\"a(b\""),
    ("x*", "\"x*\""),
    ("Entw&APw-rfe", "Entw&APw-rfe"),
    ("100%", "{4}\r\n100%"),
    ("back\\slash", "{10}\r\nback\\slash"),
    ("quo\"te", "{6}\r\nquo\"te"),
    ("line\nbreak", "{10}\r\nline\nbreak"),
    ("caf\u{E9}", "{5}\r\ncaf\u{E9}"),
  ]

  @Test(arguments: printCases)
  func printsStringsLikeCyrus(text: String, printed: String) throws {
    let value = Dlist.atom(text)
    #expect(value.printedText == printed)
    #expect(try Dlist.parse(value.printed()) == value)
  }

  @Test func lengthLimitsOfAtomsAndQuotedStrings() {
    #expect(Dlist.atom(String(repeating: "a", count: 1023)).printed().count == 1023)
    #expect(Dlist.atom(String(repeating: "a", count: 1024)).printedText.hasPrefix("{1024}\r\n"))
    #expect(Dlist.atom(String(repeating: "a ", count: 511) + "a").printed().count == 1025)
    #expect(Dlist.atom(String(repeating: "a ", count: 512)).printedText.hasPrefix("{1024}\r\n"))
    #expect(Dlist.string([0x61, 0x00]).printed() == Array("{2}\r\n".utf8) + [0x61, 0x00])
  }

  @Test func parsesAMailboxesValue() throws {
    let text =
      "%(T el I 0fb87c3a P default V 1199145600 M 1694012345 A %(fred lrswipkxtecdan anyone lr) H (%(N user\u{1F}x M 1) %()))"
    let value = try Dlist.parse(Array(text.utf8))
    #expect(value["T"] == .atom("el"))
    #expect(value["V"]?.number == 1_199_145_600)
    #expect(
      value["A"] == .kvlist([.init("fred", .atom("lrswipkxtecdan")), .init("anyone", .atom("lr"))]))
    #expect(value["H"]?.elements?.count == 2)
    #expect(value["X"] == nil)
    #expect(value.printedText == text)
  }

  @Test func parsesNilQuotedAndLiteral() throws {
    let value = try Dlist.parse(Array("(NIL \"a\\\"b\" {3+}\r\nx y \"\" ())".utf8))
    #expect(value == .list([.null, .atom("a\"b"), .atom("x y"), .atom(""), .list([])]))
    #expect(value.printedText == "(NIL {3}\r\na\"b \"x y\" \"\" ())")
  }

  @Test func bareItemRunsToSpaceMinusClosingParens() throws {
    #expect(try Dlist.parse(Array("(a)b c)".utf8)) == .list([.atom("a)b"), .atom("c")]))
  }

  static let badInputs: [(String, DlistError.Kind, Int)] = [
    ("", .unexpectedEnd, 0),
    ("%(A", .unexpectedEnd, 3),
    ("%(A x", .unexpectedEnd, 5),
    ("%x", .unexpectedByte, 1),
    ("%(NIL x)", .unexpectedByte, 2),
    ("(a  b)", .unexpectedByte, 3),
    ("\"open", .unexpectedEnd, 0),
    ("{5}\r\nabc", .badLiteral, 0),
    ("{x}\r\n", .badLiteral, 0),
    ("{99999999999}\r\n", .badLiteral, 0),
    ("(a) b", .trailingBytes, 3),
    ("%(A x) %(B y)", .trailingBytes, 6),
  ]

  @Test(arguments: badInputs)
  func rejectsMalformedText(text: String, kind: DlistError.Kind, offset: Int) {
    #expect(throws: DlistError.self) { try Dlist.parse(Array(text.utf8)) }
    do {
      _ = try Dlist.parse(Array(text.utf8))
    } catch let e as DlistError {
      #expect(e.kind == kind)
      #expect(e.offset == offset)
    } catch {
      Issue.record("unexpected error \(error)")
    }
  }

  @Test func deepNestingIsRejectedWithoutCrashing() {
    let deep = String(repeating: "(", count: 10_000) + String(repeating: ")", count: 10_000)
    #expect(throws: DlistError(.nestingTooDeep, offset: 64, detail: "more than 64 levels")) {
      try Dlist.parse(Array(deep.utf8))
    }
  }
}
