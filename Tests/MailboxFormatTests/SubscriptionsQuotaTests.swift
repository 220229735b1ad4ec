import Testing

@testable import CyrusFormats

@Suite("subscriptions and quota files")
struct SubscriptionsQuotaTests {
  func records(_ pairs: [(String, String)]) -> [CyrusDBRecord] {
    pairs.map { CyrusDBRecord(key: ascii($0.0), value: ascii($0.1)) }
  }

  @Test("2.2 – 3.4: internal names, empty values")
  func legacy() throws {
    let s = try Subscriptions(
      records: records([("user.fred", ""), ("user.fred.Sent", ""), ("user.joe.Public", "")]),
      userid: "fred")
    #expect(s.layout == .legacy)
    #expect(
      s.mailboxes == [
        MailboxName("user.fred"), MailboxName("user.fred.Sent"), MailboxName("user.joe.Public"),
      ])
  }

  @Test("3.6: version record, N + dbname, INBOX prefix, domains, dots")
  func version2() throws {
    let s = try Subscriptions(
      records: records([
        ("\u{1F}VER\u{1F}", "2"), ("NINBOX", ""), ("NINBOX\u{1F}Sent", ""),
        ("Nuser\u{1F}joe\u{1F}Public", ""), ("Nshared\u{1F}news", ""),
      ]), userid: "john.doe@example.com")
    #expect(s.layout == .version2)
    #expect(
      s.mailboxes == [
        MailboxName("example.com!user.john^doe"), MailboxName("example.com!user.john^doe.Sent"),
        MailboxName("user.joe.Public"), MailboxName("shared.news"),
      ])
    #expect(
      Subscriptions.inboxName(userid: "fred@example.com", defaultDomain: "example.com")
        == MailboxName("user.fred"))
  }

  @Test("3.6: an unknown version is an error, a key without N a problem")
  func version2Damage() throws {
    #expect(throws: MailboxFormatError.self) {
      try Subscriptions(records: records([("\u{1F}VER\u{1F}", "3")]), userid: "a")
    }
    let s = try Subscriptions(
      records: records([("\u{1F}VER\u{1F}", "2"), ("Xjunk", "")]), userid: "a")
    #expect(s.mailboxes.isEmpty)
    #expect(s.problems.map(\.kind) == [.malformed])
  }

  @Test("quota: 2.2/2.4 text, 2.5+ dlist, limits apart from usage")
  func quota() throws {
    let old = try QuotaRecord.parse(ascii("1048576\n102400\n"))
    #expect(old.layout == .legacy)
    #expect(old.usage == [.storage: 1_048_576])
    #expect(old.limits == [.storage: 102_400])
    let unlimited = try QuotaRecord.parse(ascii("5\n-1\n"))
    #expect(unlimited.limits.isEmpty)
    let extra = try QuotaRecord.parse(ascii("10 20 11 M 3 100"))
    #expect(extra.usage == [.storage: 10, .message: 3])
    #expect(extra.limits == [.storage: 20, .message: 100])
    let new = try QuotaRecord.parse(ascii("%(S (1048576 102400) M (37) AS (0) NF (4))\n"))
    #expect(new.layout == .dlist)
    #expect(new.usage == [.storage: 1_048_576, .message: 37, .annotationStorage: 0, .folders: 4])
    #expect(new.limits == [.storage: 102_400])
    #expect(new.modseq == nil)
  }

  @Test(
    "malformed quota files",
    arguments: ["", "12\n", "a\nb\n", "1 2 BOGUS 3 4", "%(S (x 1))", "%(S"])
  func badQuota(text: String) throws {
    let e = try #require(throws: MailboxFormatError.self) { try QuotaRecord.parse(ascii(text)) }
    #expect(e.kind == .malformed)
  }
}
