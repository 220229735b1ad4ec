import Testing

@testable import CyrusFormats

@Suite("ACL and rights")
struct ACLTests {
  @Test(arguments: [
    ("lrswipcda", "lrswipkxtecda"),
    ("lrswipkxtecda", "lrswipkxtecda"),
    ("lrswipkxtecdan", "lrswipkxtecdan"),
    ("lrs", "lrs"),
    ("c", "kxc"),
    ("d", "ted"),
    ("kt", "ktcd"),
    ("0123456789", "0123456789"),
    ("", ""),
  ])
  func normalizesRightsAcrossVersions(stored: String, printed36: String) {
    #expect(ACLRights.parse(stored).rights.cyrus36String == printed36)
    #expect(ACLRights.parse(stored).unknown == "")
  }

  @Test func twoTwoRightsEqualThreeSixRights() {
    #expect(ACLRights.parse("lrswipcda").rights == ACLRights.parse("lrswipkxtecda").rights)
    #expect(ACLRights.parse("lrswipcd").rights != ACLRights.parse("lrswipkxtecda").rights)
    // A macro counts only when none of its members is present (lib/acl.c of 3.6).
    #expect(ACLRights.parse("kc").rights == [.create])
  }

  @Test func parsesTabSeparatedForm() {
    let acl = ACL(tabSeparated: "fred\tlrswipcda\tanyone\tlr\t-bad\tw\t")
    #expect(
      acl.entries == [
        .init(identifier: "fred", rights: "lrswipcda"), .init(identifier: "anyone", rights: "lr"),
        .init(identifier: "-bad", rights: "w"),
      ])
    #expect(acl.entries[2].isNegative)
    #expect(acl.tabSeparated == "fred\tlrswipcda\tanyone\tlr\t-bad\tw\t")
    #expect(ACL(tabSeparated: "fred\tlrs").entries == [.init(identifier: "fred", rights: "lrs")])
    #expect(ACL(tabSeparated: "fred\tlrs\tdangling").entries.count == 1)
    #expect(ACL(tabSeparated: "").entries.isEmpty)
  }

  @Test func comparesAsASet() {
    let a = ACL(tabSeparated: "fred\tlrswipcda\tanyone\tlr\t")
    let b = ACL(tabSeparated: "anyone\tlr\tfred\tlrswipkxtecda\t")
    #expect(a == b)
    #expect(a.hashValue == b.hashValue)
    #expect(!a.isIdentical(to: b))
    #expect(a != ACL(tabSeparated: "fred\tlrswipcda\t"))
    #expect(a != ACL(tabSeparated: "fred\tlrswipcda\tanyone\tlrs\t"))
  }

  @Test func unknownLettersTakePartInComparison() {
    let a = ACL([.init(identifier: "x", rights: "lrQ")])
    #expect(a.entries[0].unknownRights == "Q")
    #expect(a != ACL([.init(identifier: "x", rights: "lr")]))
  }
}

@Suite("MailboxType")
struct MailboxTypeTests {
  static let letterCases: [(String, MailboxType.Kind, MailboxType.Flags, String)] = [
    ("e", .email, [], "e"),
    ("el", .email, [.legacyDirs], "el"),
    ("ed", .email, [.deleted], "ed"),
    ("dl", .email, [.deleted, .legacyDirs], "edl"),
    ("", .email, [], "e"),
    ("cl", .calendar, [.legacyDirs], "cl"),
    ("f", .sieve, [], "f"),
    ("eif", .sieve, [.intermediate], "fi"),
    ("dc", .calendar, [.deleted], "cd"),
    ("rz", .email, [.remote, .reserve], "erz"),
    ("s", .jmapSubmission, [], "s"),
  ]

  @Test(arguments: letterCases)
  func readsLetters(
    letters: String, kind: MailboxType.Kind, flags: MailboxType.Flags, printed: String
  ) throws {
    let t = try MailboxType(letters: letters)
    #expect(t.kind == kind)
    #expect(t.flags == flags)
    #expect(t.cyrus36Letters == printed)
    #expect(t.raw == .letters(letters))
  }

  static let numberCases: [(Int, MailboxType.Kind, MailboxType.Flags)] = [
    (0, .email, []), (1, .email, [.remote]), (2, .email, [.reserve]),
    (4, .netnews, []), (8, .email, [.moving]), (16, .email, [.deleted]), (33, .calendar, [.remote]),
    (128, .collection, []), (256, .email, [.intermediate]), (1024, .jmapPushSubscription, []),
  ]

  @Test(arguments: numberCases)
  func readsLegacyNumbers(n: Int, kind: MailboxType.Kind, flags: MailboxType.Flags) throws {
    let t = try MailboxType(legacyNumber: n)
    #expect(t == MailboxType(kind: kind, flags: flags))
    #expect(t.legacyNumber == n)
    #expect(MailboxType(kind: kind, flags: flags).legacyNumber == n)
  }

  @Test func rejectsUnknownTypes() {
    #expect(throws: MailboxEntryError.self) { try MailboxType(letters: "x") }
    #expect(throws: MailboxEntryError.self) { try MailboxType(letters: "ec") }
    #expect(throws: MailboxEntryError.self) { try MailboxType(legacyNumber: 2048) }
    #expect(throws: MailboxEntryError.self) { try MailboxType(legacyNumber: 32 | 64) }
  }

  @Test func equalityIgnoresRawForm() throws {
    #expect(try MailboxType(letters: "e") == MailboxType(legacyNumber: 0))
    #expect(try MailboxType(letters: "el") != MailboxType(legacyNumber: 0))
    #expect(try MailboxType(letters: "ed").isPlaceholder)
    #expect(try !MailboxType(letters: "el").isPlaceholder)
  }
}
