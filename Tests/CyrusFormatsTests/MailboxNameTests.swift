import Testing

@testable import CyrusFormats

@Suite("MailboxName")
struct MailboxNameTests {
  /// Examples from the format reference §3.3 (␟ = 0x1F, ␝ = 0x1D).
  static let dbnameCases: [(String, String)] = [
    ("user.fred", "user\u{1F}fred"),
    ("user.fred.Sent", "user\u{1F}fred\u{1F}Sent"),
    ("example.com!user.fred.Sent", "example.com\u{1D}user\u{1F}fred\u{1F}Sent"),
    ("shared.news", "shared\u{1F}news"),
    ("shared", "shared"),
    ("user", "user"),
    ("DELETED.user.fred.Old.5F1A2B3C", "DELETED\u{1F}user\u{1F}fred\u{1F}Old\u{1F}5F1A2B3C"),
    (
      "example.com!DELETED.shared.x.5F1A2B3C",
      "example.com\u{1D}DELETED\u{1F}shared\u{1F}x\u{1F}5F1A2B3C"
    ),
    ("user.john^doe", "user\u{1F}john.doe"),
    ("user.fred.a^b.c", "user\u{1F}fred\u{1F}a.b\u{1F}c"),
    ("user.fred.Entw&APw-rfe", "user\u{1F}fred\u{1F}Entw&APw-rfe"),
  ]

  @Test(arguments: dbnameCases)
  func convertsToAndFromDBName(internalName: String, dbname: String) {
    #expect(MailboxName(internalName).dbname() == Array(dbname.utf8))
    #expect(MailboxName(dbname: Array(dbname.utf8)) == MailboxName(internalName))
  }

  @Test func conversionDropsWhatCyrusDrops() {
    // strtok drops empty components; a DELETED name without a hex time loses prefix and tail.
    #expect(MailboxName("user..fred").dbname() == Array("user\u{1F}fred".utf8))
    #expect(MailboxName(dbname: Array("DELETED\u{1F}shared\u{1F}zz".utf8)).internalName == "shared")
    #expect(MailboxName(dbname: Array("\u{1D}user\u{1F}fred".utf8)).internalName == "user.fred")
    #expect(
      MailboxName(dbname: Array("DELETED\u{1F}a\u{1F}0x1F".utf8)).internalName == "DELETED.a.1F")
    #expect(
      MailboxName(
        dbname: Array("example.com\u{1D}user\u{1F}fred".utf8), defaultDomain: "example.com"
      ).internalName == "user.fred")
    #expect(MailboxName(dbname: []).internalName == "")
  }

  @Test func describesItsParts() {
    let n = MailboxName("example.com!user.fred.Sent")
    #expect(n.domain == "example.com")
    #expect(n.localName == "user.fred.Sent")
    #expect(n.components == ["user", "fred", "Sent"])
    #expect(n.userLocalPart == "fred")
    #expect(!n.isDeleted())
    #expect(MailboxName("DELETED.user.fred.5F1A2B3C").isDeleted())
    #expect(MailboxName("shared.news").userLocalPart == nil)
  }

  static let pathSafety: [(String, Bool)] = [
    ("user.fred", true), ("user.fred.Sent Items", true), ("example.com!user.fred", true),
    ("user.john^doe", true), ("", false), ("user..fred", false), (".user", false), ("user.", false),
    ("user.fred/../../etc", false), ("user.a/b", false), ("user.fred\u{0}x", false),
    ("user.fred\u{1F}x", false), ("user.fred\nx", false), ("user.\u{7F}", false),
    ("..!user.fred", false), ("!user.fred", false), ("a/b!user.fred", false),
  ]

  @Test(arguments: pathSafety)
  func flagsNamesUnsafeAsPaths(name: String, safe: Bool) {
    #expect(MailboxName(name).isSafeAsPath == safe)
  }
}
