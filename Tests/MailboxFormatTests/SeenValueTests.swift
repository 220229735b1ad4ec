import Testing

@testable import CyrusFormats

@Suite("seen values and sequence sets")
struct SeenValueTests {
  @Test("a seen value as every Cyrus writes it")
  func value() throws {
    let v = try SeenValue(parsing: ascii("1 1199145600 42 1199145612 1:40,42"))
    #expect(v.lastRead == 1_199_145_600)
    #expect(v.lastUID == 42)
    #expect(v.lastChange == 1_199_145_612)
    #expect(v.seen == SequenceSet(ranges: [1...40, 42...42]))
    let empty = try SeenValue(parsing: ascii("1 0 0 0 "))
    #expect(empty.seen.isEmpty)
  }

  @Test(
    "malformed seen values",
    arguments: [
      ("", MailboxFormatError.Kind.malformed, 0), ("2 1 2 3 1:2", .unsupportedVersion, 0),
      ("1 x 2 3 1", .malformed, 2), ("1 1 2", .malformed, 5), ("1 1 -2 3 4", .malformed, 4),
      ("1 1 2 3 1:2,,4", .malformed, 12), ("1 1 2 3x 1", .malformed, 7),
    ])
  func malformed(text: String, kind: MailboxFormatError.Kind, offset: Int) throws {
    let e = try #require(throws: MailboxFormatError.self) { try SeenValue(parsing: ascii(text)) }
    #expect(e.kind == kind)
    #expect(e.offset == offset)
  }

  @Test(
    "the same set written differently is equal",
    arguments: [
      ("1:3,5,9", "1,2,3,5,9"), ("1:4", "1:3,4"), ("3:1,4", "1:4"), ("5,1:2", "1:2,5"),
      ("1:10,4:6", "1:10"), ("", ""), ("4294967295", "4294967295:4294967295"),
    ])
  func equalSets(a: String, b: String) throws {
    let x = try SequenceSet(parsing: ascii(a))
    let y = try SequenceSet(parsing: ascii(b))
    #expect(x == y)
    #expect(x.description == y.description)
  }

  @Test("membership, count, intersection; no expansion of huge ranges")
  func membership() throws {
    let s = try SequenceSet(parsing: ascii("1:16239,16241:17015,17019"))
    #expect(s.contains(1) && s.contains(16239) && !s.contains(16240) && s.contains(17019))
    #expect(!s.contains(0) && !s.contains(17020))
    #expect(s.count == 16239 + 775 + 1)
    let huge = try SequenceSet(parsing: ascii("1:4294967295"))
    #expect(huge.count == 4_294_967_295)
    #expect(huge.ranges.count == 1)
    #expect(
      s.intersection(SequenceSet(uids: [3, 16240, 17019, 20000])) == SequenceSet(uids: [3, 17019]))
    var built = SequenceSet()
    for uid: UInt32 in [1, 2, 3, 5, 4, 9] { built.insert(uid) }
    #expect(built.description == "1:5,9")
  }

  @Test(
    "bad sequence sets",
    arguments: [
      ("1:", 2), (",1", 0), ("1,", 2), ("1;2", 1), ("4294967296", 0), ("1 2", 1), ("*", 0),
    ])
  func badSets(text: String, offset: Int) throws {
    let e = try #require(throws: MailboxFormatError.self) { try SequenceSet(parsing: ascii(text)) }
    #expect(e.kind == .malformed)
    #expect(e.offset == offset)
  }
}
