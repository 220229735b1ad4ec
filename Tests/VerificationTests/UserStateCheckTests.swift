import CyrusFormats
import CyrusStore
import TestSupport
import Testing

@testable import Verification

/// Seen and subscription records compared and named from synthetic manifests: the layouts and
/// orders of Cyrus 2.x (names only in the headers) and 3.6 (names in mailboxes.db).
@Suite struct UserStateCheckTests {
  /// A state file of the config directory with these records (key, value).
  func state(
    _ path: String, _ kind: StateSummary.Kind, _ records: [(String, String)],
    layout: Subscriptions.Layout? = nil, keepItems: Bool = true
  ) -> ManifestEntry {
    var entry = file(
      path, size: UInt64(records.count * 10), digest: UInt8(records.count), area: "config")
    entry.digest = Array(records.map { $0.0 + $0.1 }.joined().utf8)
    entry.stateSummary = StateSummary(
      kind: kind, records: UInt32(records.count),
      digest: records.map { "\($0.0)=\($0.1)" }.joined(separator: ";"), problem: nil,
      items: keepItems
        ? records.map { StateItem(key: Array($0.0.utf8), value: $0.1) }
          .sorted { $0.key.lexicographicallyPrecedes($1.key) } : nil,
      subscriptionLayout: kind == .subscriptions ? (layout ?? .legacy) : nil)
    return entry
  }

  /// A mailbox directory's cyrus.header recording `uniqueID`, labelled `mailbox`.
  func header(_ directory: String, uniqueID: String, mailbox: String) -> ManifestEntry {
    var entry = file(directory + "/cyrus.header")
    entry.mailbox = mailbox
    entry.headerUniqueID = uniqueID
    return entry
  }

  func run(
    _ primary: [ManifestEntry], _ failover: [ManifestEntry],
    states: UserStateCheck = UserStateCheck()
  ) throws -> [Finding] {
    let sink = CollectingSink()
    var left = ArraySource(primary)
    var right = ArraySource(failover)
    try ManifestDiff(sink: sink, states: states).run(primary: &left, failover: &right)
    return sink.findings
  }

  let spool = [directory("", area: "partition-default"), directory("a")]

  @Test func seenRecordNamedByItsHeaderOnceTheWalkReachesIt() throws {
    let primary =
      [state("user/b/bert.seen", .seen, [("4a1b", "last UID 3, seen 1:3")])] + spool
      + [
        directory("a/user"), directory("a/user/anna"),
        header("a/user/anna", uniqueID: "4a1b", mailbox: "user.anna"),
      ]
    var failover = primary
    failover[0] = state("user/b/bert.seen", .seen, [("4a1b", "last UID 3, seen 1:2")])
    let findings = try run(primary, failover)
    // The seen difference explains the file's content: one finding, not two.
    #expect(summary(findings) == ["seen.mismatch config:user/b/bert.seen"])
    let seen = try #require(findings.last)
    #expect(seen.user == "bert" && seen.uniqueID == "4a1b")
    #expect(seen.mailbox == "user.anna")
    #expect(FindingText.detail(seen) == "user bert, uniqueid 4a1b")
    #expect(seen.primary == "last UID 3, seen 1:3" && seen.failover == "last UID 3, seen 1:2")
  }

  @Test func seenRecordNoMailboxNamesStaysUnnamed() throws {
    let primary = [state("user/b/bert.seen", .seen, [("4a1b", "last UID 3, seen 1:3")])]
    let failover = [state("user/b/bert.seen", .seen, [])]
    let findings = try run(primary, failover).filter { $0.code == .seenMismatch }
    #expect(findings.count == 1)
    #expect(findings.first?.mailbox == nil)
    #expect(findings.first?.failover == "no seen state")
    #expect(
      findings.first.flatMap(FindingText.detail)
        == "user bert, uniqueid 4a1b (no mailbox has this uniqueid)")
  }

  @Test func seenRecordNamedByMailboxesDBAtOnceAndUserByTheInboxUniqueID() throws {
    var names = MailboxNameIndex()
    names.byUniqueID = ["inbox1": "example.com!user.bert", "box2": "shared.news"]
    let path = "user/uuid/i/n/inbox1/seen.db"
    let primary = [
      state(path, .seen, [("box2", "last UID 9, seen 1:9")]), file("z", area: "config"),
    ]
    let failover = [state(path, .seen, [("box2", "last UID 9, seen 1:8")])]
    let findings = try run(
      primary, failover, states: UserStateCheck(primary: names, failover: names))
    // Named at once: before the file the failover lacks.
    #expect(summary(findings) == ["seen.mismatch config:\(path)", "file.missing config:z"])
    #expect(findings[0].mailbox == "shared.news")
    #expect(findings[0].user == "bert@example.com")
    #expect(FindingText.detail(findings[0]) == "user bert@example.com, uniqueid box2")
  }

  @Test func subscriptionsInTheLegacyAndThe36LayoutMeanTheSame() throws {
    let primary = [
      state(
        "user/b/bert.sub", .subscriptions,
        [("user.bert", ""), ("user.bert.Sent", ""), ("shared.news", "")])
    ]
    let failover = [
      state(
        "user/b/bert.sub", .subscriptions,
        [("NINBOX", ""), ("NINBOX\u{1F}Sent", ""), ("Nshared\u{1F}news", "")], layout: .version2)
    ]
    #expect(summary(try run(primary, failover)) == ["state.rewritten config:user/b/bert.sub"])
  }

  @Test func subscriptionDifferencesAndUnknownMailboxesPerSide() throws {
    var names = MailboxNameIndex()
    names.existing = ["user.bert", "shared.news"]
    let path = "user/b/bert.sub"
    let primary = [
      state(path, .subscriptions, [("NINBOX", ""), ("NINBOX\u{1F}Old", "")], layout: .version2)
    ]
    let failover = [state(path, .subscriptions, [("NINBOX", "")], layout: .version2)]
    // The failover's mailboxes.db could not be read: nothing is said about its names.
    let findings = try run(
      primary, failover, states: UserStateCheck(primary: names, failover: MailboxNameIndex()))
    #expect(
      findings.map {
        "\($0.code) \($0.side) \($0.mailbox ?? "-") \($0.primary ?? "-") \($0.failover ?? "-")"
      } == [
        "subscriptions.unknown-mailbox primary user.bert.Old - -",
        // The subscription difference explains the file's size: no file.size-mismatch too.
        "subscriptions.mismatch both user.bert.Old subscribed not subscribed",
      ])
    #expect(
      findings.first { $0.code == .subscriptionsUnknownMailbox }.flatMap(FindingText.detail)
        == "user bert: not in the primary's mailboxes.db")
  }

  @Test func filesOverTheItemLimitAreComparedByDigestAndSaySo() throws {
    let primary = [
      state("user/b/bert.seen", .seen, [("4a1b", "last UID 3, seen 1:3")], keepItems: false)
    ]
    let failover = [state("user/b/bert.seen", .seen, [("4a1b", "last UID 3, seen 1:2")])]
    let findings = try run(primary, failover).filter { $0.code == .seenMismatch }
    #expect(findings.count == 1)
    #expect(findings.first?.primary?.hasPrefix("1 records, ") == true)
    #expect(
      findings.first.flatMap(FindingText.detail)
        == "user bert; over 10000 records or 1 MiB: compared by digest only")
  }
}
