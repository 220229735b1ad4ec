import Foundation
import TestSupport
import Testing

/// `cyrus-failover repair` on two real Cyrus 3.6 instances, the failover local or over the test
/// sshd: a failover damaged in one way is mended by moving only the paths that differ (rsync's
/// own list of what it transferred), and verifies clean afterwards.
@Suite(.serialized) struct RepairTests {
  /// One kind of damage, and the paths (suffixes) a repair moves and deletes for it.
  struct Damage: CustomTestStringConvertible, Sendable {
    var testDescription: String
    var make: @Sendable (SyncPair, ServedState) throws -> (moved: [String], deleted: [String])
  }

  static let damages: [Damage] = [
    Damage(testDescription: "two message files missing") { pair, state in
      let files = try (1...2).map {
        try pair.failover.messageFile(mailbox: "user.anna", uid: $0, in: state)
      }
      for file in files { try FileManager.default.removeItem(atPath: file) }
      return (files.map(Self.spoolRelative), [])
    },
    Damage(testDescription: "a message's content changed, size and mtime kept") { pair, state in
      let file = try pair.failover.messageFile(mailbox: "user.bert", uid: 2, in: state)
      try BitRot.flipMiddleByte(of: file)
      return ([Self.spoolRelative(file)], [])
    },
    Damage(testDescription: "a mailbox directory missing") { pair, state in
      let file = try pair.failover.messageFile(mailbox: "user.bert.Archive", uid: 1, in: state)
      let directory = (file as NSString).deletingLastPathComponent
      try FileManager.default.removeItem(atPath: directory)
      return ([Self.spoolRelative(directory)], [])
    },
    Damage(testDescription: "an extra file") { pair, state in
      let file = try pair.failover.messageFile(mailbox: "user.anna", uid: 1, in: state)
      let stray = (file as NSString).deletingLastPathComponent + "/stray"
      try Data("stray".utf8).write(to: URL(fileURLWithPath: stray))
      return ([], [Self.spoolRelative(stray)])
    },
    Damage(testDescription: "a seen database changed") { pair, _ in
      // bert's seen state of anna's shared folder: the failover's copy loses it.
      let config = try #require(pair.failover.info.areas["config"])
      let seen = try #require(
        FileManager.default.enumerator(atPath: config)?.allObjects.compactMap { $0 as? String }
          .first { $0.hasSuffix("seen.db") })
      try SyncPair.cyrDBTool(pair, [config + "/" + seen, "twoskip", "delete", Self.sharedID(pair)])
      return ([seen], [])
    },
    Damage(testDescription: "an ACL changed in mailboxes.db") { pair, _ in
      let config = try #require(pair.failover.info.areas["config"])
      let database = config + "/mailboxes.db"
      let key = "Nuser\u{1F}anna"
      let shown = try SyncPair.cyrDBTool(pair, [database, "twoskip", "get", key])
      let value = shown.trimmingCharacters(in: .whitespacesAndNewlines)
      let changed = value.replacingOccurrences(of: "A %(anna ", with: "A %(intruder lrs anna ")
      #expect(changed != value, "unexpected record: \(value)")
      try SyncPair.cyrDBTool(pair, [database, "twoskip", "set", key, changed])
      return (["mailboxes.db"], [])
    },
  ]

  static func spoolRelative(_ path: String) -> String {
    guard let spool = path.range(of: "/var/spool/cyrus/mail/") else { return path }
    return String(path[spool.upperBound...])
  }

  /// The uniqueid of anna's shared folder, the key of bert's seen record of it.
  static func sharedID(_ pair: SyncPair) throws -> String {
    let state = try pair.primary.state()
    return try #require(state.mailbox("user.anna.Shared")?["mailboxid"] as? String)
  }

  /// Each damage with the failover on this host's paths, and again over the test sshd.
  @Test(arguments: damages, [false, true])
  func onlyWhatDiffersIsMovedAndTheCopyVerifiesClean(_ damage: Damage, overSSH: Bool) throws {
    let server = overSSH ? try SSHServer() : nil
    let pair = try SyncPair()
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    try pair.primary.imap(
      "anna",
      [
        .create("INBOX.Shared"), .setACL("INBOX.Shared", identifier: "bert", rights: "lrs"),
        .append("INBOX.Shared", flags: [], size: 200),
      ])
    try pair.primary.imap("bert", [.create("INBOX.Archive"), .append("INBOX.Archive")])
    try pair.primary.imap(
      "bert", [.store("user.anna.Shared", uids: "1", operation: "+FLAGS", flags: ["\\Seen"])])
    let synced = try pair.sync(["--execute"], over: server)
    try #require(synced.status == 0, "\(synced.stderr)")
    let (moved, deleted) = try damage.make(pair, try pair.primary.state())

    var failover = [pair.failover.configFile]
    if let server {
      failover = [
        "root@127.0.0.1:\(pair.failover.configFile)", "--ssh", server.sshOption(),
        "--remote-command", TestPrograms.executable,
      ]
    }
    let result = try TestPrograms.run(
      [TestPrograms.executable, "repair", "--primary", pair.primary.configFile, "--failover"]
        + failover + ["--execute", "--format", "json"] + pair.options(),
      timeLimit: .seconds(600))
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let document = try SyncPair.document(result)
    let rounds = document["rounds"] as? [[String: Any]] ?? []
    #expect(rounds.count == 1)
    let steps = (rounds.first?["steps"] as? [[String: Any]]) ?? []
    let transferred = steps.flatMap { $0["transferred"] as? [String] ?? [] }
      .filter { !$0.hasSuffix("/") }
    // A missing directory travels whole: everything transferred is inside it.
    let directories = moved.filter { !($0 as NSString).lastPathComponent.contains(".") }
    if directories.isEmpty {
      #expect(Set(transferred) == Set(moved), "\(transferred)")
    } else {
      #expect(!transferred.isEmpty)
      #expect(
        transferred.allSatisfy { path in directories.contains { path.hasPrefix($0 + "/") } },
        "\(transferred)")
    }
    let deletions = steps.filter { ($0["id"] as? String)?.hasPrefix("repair.delete") == true }
      .flatMap { $0["argv"] as? [String] ?? [] }.filter { $0.hasPrefix("/") }
    #expect(deletions.map(Self.spoolRelative) == deleted)
    let remaining = document["remaining"] as? [[String: Any]] ?? []
    #expect(remaining.allSatisfy { $0["severity"] as? String == "info" }, "\(remaining)")
    // The primary serves on; the repaired failover serves what it serves.
    #expect(try pair.primary.status() == .running)
    try pair.failover.start()
    let served = try pair.primary.state()
    let copied = try pair.failover.state()
    #expect(served == copied, "\(served.differenceReport(from: copied))")
  }
}

/// `repair` with the failover over the test sshd: a message lost (copied while the primary
/// serves) and a seen database changed (copied in a short stop) are moved over SSH, and only
/// they; the repair's sign-off records the consistent copy with its steps and window; the
/// failover then serves what the primary serves.
@Suite(.serialized) struct RepairOverSSHTests {
  @Test func messageAndSeenStateAreRepairedOverSSH() throws {
    let server = try SSHServer()
    let pair = try SyncPair()
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    try pair.primary.imap(
      "anna",
      [
        .create("INBOX.Shared"), .setACL("INBOX.Shared", identifier: "bert", rights: "lrs"),
        .append("INBOX.Shared", flags: [], size: 200),
      ])
    try pair.primary.imap(
      "bert", [.store("user.anna.Shared", uids: "1", operation: "+FLAGS", flags: ["\\Seen"])])
    let synced = try pair.sync(["--execute"], over: server)
    try #require(synced.status == 0, "\(synced.stderr)")
    let state = try pair.primary.state()
    let lost = try pair.failover.messageFile(mailbox: "user.anna", uid: 3, in: state)
    try FileManager.default.removeItem(atPath: lost)
    // bert's seen state of anna's shared folder: the failover's copy loses it.
    let config = try #require(pair.failover.info.areas["config"])
    let inbox = try #require(state.mailbox("user.bert")?["mailboxid"] as? String)
    let seen = "user/uuid/\(inbox.prefix(1))/\(inbox.dropFirst().prefix(1))/\(inbox)/seen.db"
    try SyncPair.cyrDBTool(
      pair, [config + "/" + seen, "twoskip", "delete", try RepairTests.sharedID(pair)])

    let signOff = pair.directory.path + "/signoff"
    let result = try TestPrograms.run(
      [
        TestPrograms.executable, "repair", "--primary", pair.primary.configFile, "--failover",
        "root@127.0.0.1:\(pair.failover.configFile)", "--ssh", server.sshOption(),
        "--remote-command", TestPrograms.executable, "--execute", "--format", "json",
        "--sign-off", signOff,
      ] + pair.options(), timeLimit: .seconds(600))
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let document = try SyncPair.document(result)
    let steps = (document["rounds"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]] ?? []
    let transferred = Set(
      steps.flatMap { $0["transferred"] as? [String] ?? [] }.filter { !$0.hasSuffix("/") })
    #expect(transferred == [RepairTests.spoolRelative(lost), seen], "\(transferred)")
    #expect(steps.contains { $0["id"] as? String == "window.stop" }, "the seen file needs a stop")

    let data = try Data(contentsOf: URL(fileURLWithPath: signOff + "/signoff.json"))
    let signed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(signed["made_by"] as? String == "repair")
    #expect(signed["verdict"] as? String == "consistent")
    let procedure = signed["procedure"] as? [String: Any] ?? [:]
    let ids = (procedure["steps"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(ids.contains("repair1.window.stop"), "\(ids)")
    #expect((procedure["window"] as? [String: Any])?["start_confirmed"] != nil, "\(procedure)")
    let verified = try TestPrograms.run([TestPrograms.executable, "verify-sign-off", signOff])
    #expect(verified.status == 0, "\(verified.stdout)\n\(verified.stderr)")
    #expect(try pair.primary.status() == .running)
    try pair.failover.start()
    let served = try pair.primary.state()
    let copied = try pair.failover.state()
    #expect(served == copied, "\(served.differenceReport(from: copied))")
  }
}

/// Reports a repair refuses: of another pair, of another tool version, naming a path outside
/// its area. Nothing is changed on either side (exit 2 before any step).
@Suite(.serialized) struct RepairRefusalTests {
  func report(_ pair: SyncPair) throws -> [String: Any] {
    let result = try TestPrograms.run([
      TestPrograms.executable, "verify", "--primary", pair.primary.configFile, "--failover",
      pair.failover.configFile, "--format", "json", "--no-progress",
    ])
    return try #require(
      try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any])
  }

  func repair(_ pair: SyncPair, report: [String: Any]) throws -> TestPrograms.Result {
    let path = pair.directory.path + "/report-\(UUID().uuidString).json"
    try JSONSerialization.data(withJSONObject: report).write(to: URL(fileURLWithPath: path))
    return try TestPrograms.run(
      [
        TestPrograms.executable, "repair", "--primary", pair.primary.configFile, "--failover",
        pair.failover.configFile, "--report", path, "--execute",
      ] + pair.options())
  }

  @Test func foreignVersionPairAndPathsAreRefused() throws {
    let pair = try SyncPair()
    try pair.primary.deliver(to: ["anna"], count: 1)
    var good = try report(pair)
    #expect((good["findings"] as? [Any])?.isEmpty == false)

    var otherVersion = good
    otherVersion["tool_version"] = "0.0.1"
    let version = try repair(pair, report: otherVersion)
    #expect(version.status == 2)
    #expect(version.stderr.contains("written by cyrus-failover 0.0.1"), "\(version.stderr)")

    var otherPair = good
    otherPair["primary"] = [
      "config_file": "/elsewhere/etc/imapd.conf", "root": NSNull(), "areas": [:],
    ]
    let foreign = try repair(pair, report: otherPair)
    #expect(foreign.status == 2)
    #expect(
      foreign.stderr.contains("is a report of /elsewhere/etc/imapd.conf"), "\(foreign.stderr)")

    var findings = good["findings"] as? [[String: Any]] ?? []
    findings.append([
      "code": "file.extra", "severity": "error", "side": "failover", "area": "partition-default",
      "path": "../../../etc",
    ])
    good["findings"] = findings
    let escaping = try repair(pair, report: good)
    #expect(escaping.status == 2)
    #expect(escaping.stdout.contains("not a plain path inside its area"), "\(escaping.stdout)")
    #expect(FileManager.default.fileExists(atPath: pair.failover.root + "/etc/imapd.conf"))
  }
}
