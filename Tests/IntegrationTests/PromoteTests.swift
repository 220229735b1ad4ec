import Foundation
import TestSupport
import Testing

/// `sync --sign-off` then `promote` between two real Cyrus 3.6 instances: a sign-off the
/// failover still matches lets promote start the failover's Cyrus, which then serves what the
/// primary serves; a change made on the failover after the sign-off makes promote refuse, and
/// `--force` starts it anyway, both logged.
@Suite(.serialized) struct PromoteTests {
  /// Mail for every user, and a seen database: bert has read two of anna's messages.
  static func fill(_ pair: SyncPair) throws {
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    try pair.primary.imap("anna", [.setACL("INBOX", identifier: "bert", rights: "lrs")])
    try pair.primary.imap(
      "bert", [.store("user.anna", uids: "1:2", operation: "+FLAGS", flags: ["\\Seen"])])
  }

  /// `promote` of the pair's failover with its service commands.
  static func promote(
    _ pair: SyncPair, signOff: String, over ssh: SSHServer? = nil, _ extra: [String] = []
  ) throws -> TestPrograms.Result {
    let failover = ssh.map { _ in "root@127.0.0.1:\(pair.failover.configFile)" }
    var arguments = [
      Tool.executable, "promote", "--failover", failover ?? pair.failover.configFile,
      "--sign-off", signOff, "--failover-start", pair.service("start", pair.failover),
      "--failover-status", pair.service("status", pair.failover), "--start-timeout", "60",
    ]
    if let ssh {
      arguments += ["--ssh", ssh.sshOption(), "--remote-command", Tool.executable]
    }
    return try TestPrograms.run(arguments + extra, timeLimit: .seconds(300))
  }

  @Test func aSignedOffSyncIsPromotedAndTheFailoverServesTheMail() throws {
    let pair = try SyncPair()
    let server = try SSHServer()
    try Self.fill(pair)
    let directory = pair.directory.path + "/signoff"
    let (key, allowed) = try SignOffFiles.key(in: pair.directory.path)
    let sync = try pair.sync(
      ["--execute", "--sign-off", directory, "--sign-key", key], over: server)
    #expect(sync.status == 0, "\(sync.stdout) \(sync.stderr)")
    let signOff = try SignOffFiles.json(directory)
    #expect(signOff["verdict"] as? String == "consistent")
    #expect(signOff["made_by"] as? String == "sync")
    let failover = try #require(signOff["failover"] as? [String: Any])
    #expect(failover["place"] as? String == "remote")
    #expect(failover["config_file"] as? String == pair.failover.configFile)
    #expect((failover["cyrus_version"] as? String)?.hasPrefix("3.6") == true)
    let procedure = try #require(signOff["procedure"] as? [String: Any])
    #expect(procedure["outcome"] as? String == "completed")
    let window = try #require(procedure["window"] as? [String: Any])
    #expect((window["seconds"] as? Double ?? 0) > 0)
    let moved = try #require(procedure["bytes_moved"] as? [String: Any])
    #expect((moved["transferred_bytes"] as? Int ?? 0) > 0)
    let manifests = try #require(signOff["manifests"] as? [String: Any])
    #expect(manifests["primary"] != nil && manifests["failover"] != nil)
    let page = try SignOffFiles.page(directory)
    #expect(page.errors == [])
    #expect(page.verdict == "Verdict: consistent (exit status 0)")
    #expect(page.steps.contains("window.stop") && page.steps.contains("verify"))
    let checked = try Tool.run([
      Tool.executable, "verify-sign-off", directory, "--allowed-signers", allowed, "--identity",
      SignOffFiles.identity,
    ])
    #expect(checked.status == 0, "\(checked.stdout)")

    let promoted = try Self.promote(
      pair, signOff: directory + "/signoff.json", over: server,
      ["--allowed-signers", allowed, "--identity", SignOffFiles.identity, "--execute"])
    #expect(promoted.status == 0, "\(promoted.stdout) \(promoted.stderr)")
    #expect(promoted.stdout.hasPrefix("cyrus-failover promote: STARTED"))
    #expect(try pair.failover.status() == .running)
    let served = try pair.primary.state()
    let copied = try pair.failover.state()
    #expect(served == copied, "\(served.differenceReport(from: copied))")
    #expect(served.messages(in: "user.anna").count == 3)
  }

  @Test func aChangeAfterTheSignOffIsRefusedAndForceIsLogged() throws {
    let pair = try SyncPair()
    try Self.fill(pair)
    let directory = pair.directory.path + "/signoff"
    let sync = try pair.sync(["--execute", "--sign-off", directory])
    #expect(sync.status == 0, "\(sync.stdout) \(sync.stderr)")
    let log = pair.directory.path + "/promote.jsonl"
    let clean = try Self.promote(pair, signOff: directory, ["--log", log])
    #expect(clean.status == 0 && clean.stdout.contains("WOULD START"), "\(clean.stdout)")

    // bert's seen state on the failover (his only seen.db: his own \Seen is in his own
    // mailboxes' indexes) changed with Cyrus's own tool.
    let seenFiles = FileManager.default.enumerator(atPath: pair.failover.root + "/var/lib/cyrus")?
      .compactMap { $0 as? String }.filter { $0.hasSuffix("/seen.db") }
    #expect(seenFiles?.count == 1, "\(seenFiles ?? [])")
    let seen = try #require(seenFiles?.first)
    let path = pair.failover.root + "/var/lib/cyrus/" + seen
    let tool = try CyrDBTool(scratchIn: pair.directory.path)
    let shown = try Tool.run([CyrDBTool.executable, "-C", tool.config, path, "twoskip", "show"])
    let record = try #require(shown.stdout.split(separator: "\n").first)
    let uniqueID = String(try #require(record.split(separator: "\t").first))
    try tool.run(path, "twoskip", "delete", uniqueID)
    let seenChanged = try Self.promote(pair, signOff: directory, ["--log", log])
    #expect(seenChanged.status == 2, "\(seenChanged.stdout)")
    #expect(
      seenChanged.stdout.contains("REFUSE unchanged: the failover changed since the sign-off"))
    #expect(seenChanged.stdout.contains("seen.mismatch config:\(seen)"), "\(seenChanged.stdout)")

    // And a file added to its spool.
    let planted = pair.failover.root + "/var/spool/cyrus/mail/planted"
    try Data("x".utf8).write(to: URL(fileURLWithPath: planted))
    let refused = try Self.promote(pair, signOff: directory, ["--log", log, "--execute"])
    #expect(refused.status == 2)
    #expect(refused.stdout.contains("file.extra  partition-default:planted"), "\(refused.stdout)")
    #expect(refused.stderr.contains("REFUSED: the failover's Cyrus is not started (unchanged)"))
    #expect(try pair.failover.status() == .stopped)

    let forced = try Self.promote(pair, signOff: directory, ["--log", log, "--execute", "--force"])
    #expect(forced.status == 0, "\(forced.stdout) \(forced.stderr)")
    #expect(forced.stdout.contains("STARTED") && forced.stdout.contains("--force overrode"))
    #expect(forced.stderr.contains("OVERRIDE (--force)"))
    #expect(try pair.failover.status() == .running)
    let events = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
      .compactMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
      .map { $0["event"] as? String ?? "?" }
    #expect(
      events == [
        "promote-checked", "promote-plan", "promote-refused", "promote-refused",
        "promote-override", "command", "command-end", "promote-started",
      ])
  }
}
