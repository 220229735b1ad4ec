import Foundation
import TestSupport
import Testing

/// The live-instance fixture is real: two Cyrus 3.6 instances, mail put into one over LMTP and
/// IMAP, its data areas copied to the other with `rsync -aH --delete` while both are stopped,
/// and the copy then serves exactly what the original serves, while a damaged copy does not.
/// One test at a time (each runs one or two masters; the machine is shared).
@Suite(.serialized)
struct LiveCyrusInstanceTests {
  /// A populated primary and a failover holding a copy of its data areas, both stopped.
  static func copiedPair(copySieve: Bool = true) throws -> (
    primary: LiveCyrusInstance, failover: LiveCyrusInstance, before: ServedState
  ) {
    let primary = try LiveCyrusInstance.create(named: "primary")
    let failover = try LiveCyrusInstance.create(named: "failover")
    try primary.start()
    try LiveMailScenario.populate(primary)
    let before = try primary.state()
    try primary.stop()
    if copySieve {
      try primary.copyDataAreas(to: failover)
    } else {
      for role in ["config", "partition-default"] {
        try CyrusInstanceScript.program([
          "rsync", "-aH", "--delete", (primary.info.areas[role] ?? "") + "/",
          (failover.info.areas[role] ?? "") + "/",
        ])
      }
    }
    return (primary, failover, before)
  }

  @Test func faithfulCopyServesTheSameState() throws {
    let (primary, failover, before) = try Self.copiedPair()
    // The two stopped roots, each by its own imapd.conf: verify finds them consistent.
    let verify = try Tool.verify([
      "--primary", primary.configFile, "--failover", failover.configFile,
    ])
    #expect(verify.status == 0, "\(verify.findings)")

    try failover.start()
    try primary.start()
    let copied = try failover.state()
    let original = try primary.state()
    #expect(
      original == before,
      "\(before.differenceReport(from: original, labels: ("before the stop", "after")))")
    #expect(copied == original, "\(original.differenceReport(from: copied))")

    // The scenario is in there: shared \Seen, a filed message, subscriptions, the quota.
    #expect(copied.seen(in: "user.anna.Projects", by: "bert") == "1:2")
    #expect(copied.seen(in: "shared.news", by: "carla") == "2")
    #expect(copied.messages(in: "user.anna.Projects").count == 3)
    // LSUB hides the subscription to INBOX.Old, deleted since (the subscription file keeps it).
    #expect(copied.subscriptions(of: "bert") == ["user.anna.Projects"])
    #expect(copied.mailbox("user.bert.Kept") != nil && copied.mailbox("user.bert.Old") == nil)
    let quotas = copied.document["quotas"] as? [String: Any]
    #expect((quotas?["user.carla"] as? [String: Any])?["MESSAGE"] as? [Int] == [2, 100])
  }

  /// `state` only reads (EXAMINE, BODY.PEEK; no ManageSieve login where that would create
  /// user.X.#sieve): the data areas are the same before and after, and so is the next state.
  @Test func readingTheStateChangesNothing() throws {
    let instance = try LiveCyrusInstance.create()
    try instance.start()
    try instance.deliver(to: ["anna", "bert"], count: 2)
    try instance.imap("bert", [.store("INBOX", uids: "1", operation: "+FLAGS", flags: ["\\Seen"])])
    // Shared with bert, who has no seen database yet: reading must not make him one.
    try instance.imap(
      "anna",
      [
        .create("INBOX.Shared"), .setACL("INBOX.Shared", identifier: "bert", rights: "lrs"),
        .append("INBOX.Shared", flags: ["\\Seen"]),
      ])
    let areas = instance.dataAreas.map(\.path)
    // Every imapd binds <configdirectory>/socket/idle.<pid> while it runs (Cyrus's runtime,
    // not data; verify skips socket/ too).
    let sockets = (instance.info.areas["config"] ?? "") + "/socket"
    func changes(since earlier: SystemCyrusSnapshot) -> [String] {
      SystemCyrusSnapshot.take(trees: areas).changedPaths(since: earlier).filter {
        $0 != sockets && !$0.hasPrefix(sockets + "/")
      }
    }
    let files = SystemCyrusSnapshot.take(trees: areas)
    let first = try instance.state()
    #expect(changes(since: files) == [])
    let second = try instance.state()
    #expect(first == second, "\(first.differenceReport(from: second, labels: ("first", "second")))")
    #expect(first.seen(in: "user.bert", by: "bert") == "1")
    #expect(first.seen(in: "user.anna", by: "anna") == "")
    #expect(first.seen(in: "user.anna.Shared", by: "anna") == "1")
    #expect(first.seen(in: "user.anna.Shared", by: "bert") == "")
  }

  /// One change to a faithful copy, and where the state must show it.
  enum Damage: String, CaseIterable, Sendable {
    /// A message file deleted from the copy's spool (its index record kept).
    case messageFileRemoved
    /// anna's \Seen on her first INBOX message taken away on the copy, over IMAP.
    case seenChanged
    /// A whole mailbox deleted on the copy, over IMAP.
    case mailboxDeleted
  }

  @Test(arguments: Damage.allCases)
  func damagedCopyServesAnotherState(damage: Damage) throws {
    let (primary, failover, before) = try Self.copiedPair()
    if damage == .messageFileRemoved {
      let victim = try failover.messageFile(mailbox: "user.anna", uid: 2, in: before)
      try FileManager.default.removeItem(atPath: victim)
    }
    try failover.start()
    switch damage {
    case .messageFileRemoved: break
    case .seenChanged:
      try failover.imap(
        "anna", [.store("INBOX", uids: "1", operation: "-FLAGS", flags: ["\\Seen"])])
    case .mailboxDeleted:
      try failover.imap("anna", [.delete("INBOX.Entwürfe")])
    }
    try primary.start()
    let original = try primary.state()
    let copied = try failover.state()
    #expect(original != copied)
    let lines = original.differences(from: copied)
    let expected: String
    switch damage {
    case .messageFileRemoved: expected = ".sha1: primary \""
    case .seenChanged: expected = ".mailboxes.user.anna.seen.anna: primary \"1"
    case .mailboxDeleted: expected = ".mailboxes.user.anna.Entw&APw-rfe: only in primary"
    }
    #expect(lines.contains { $0.contains(expected) }, "\(lines)")
  }

  /// The state reads IMAP and ManageSieve only: a copy without the sievedir (the seed forgets
  /// it) serves the same state, since 3.6 lists scripts from the user's #sieve mailbox, yet it
  /// files mail differently, because the compiled script lives in the sievedir. A sync test
  /// must deliver a probe to see that.
  @Test func copyWithoutSievedirDiffersOnlyInFiling() throws {
    let (primary, failover, _) = try Self.copiedPair(copySieve: false)
    try primary.start()
    try failover.start()
    #expect(try primary.state() == failover.state())
    for instance in [primary, failover] {
      try instance.deliver(to: ["anna"], subject: "Weekly report")
    }
    let filed = try primary.state(content: false).messages(in: "user.anna.Projects").count
    let unfiled = try failover.state(content: false).messages(in: "user.anna.Projects").count
    #expect(filed == unfiled + 1)
  }
}
