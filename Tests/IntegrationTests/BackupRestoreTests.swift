import Foundation
import TestSupport
import Testing

/// `cyrus-failover backup` of a serving primary into a directory, `verify` of that directory,
/// and `restore --start` of it into a fresh, stopped instance with the same users: in the end
/// the restored instance serves over IMAP what the primary served when it was backed up.
@Suite(.serialized) struct BackupRestoreTests {
  @Test func aRestoredBackupServesWhatThePrimaryServed() throws {
    // The pair's failover is the restore's target: a fresh instance, stopped, same users.
    let pair = try SyncPair()
    let primary = pair.primary
    let target = pair.failover
    for user in pair.users { try primary.deliver(to: [user], count: 3) }
    try primary.imap("anna", [.create("INBOX.Projects"), .subscribe("INBOX.Projects")])
    try primary.deliver(to: ["anna"], count: 2, folder: nil, subject: "second batch")
    try primary.imap(
      "bert", [.store("INBOX", uids: "1:2", operation: "+FLAGS", flags: ["\\Seen"])])
    let served = try primary.state()
    let backup = pair.directory.path + "/backup-cyrus"

    let backedUp = try TestPrograms.run(
      [
        TestPrograms.executable, "backup", "--primary", primary.configFile, "--to", backup,
        "--execute", "--format", "json",
      ] + Self.procedureOptions(pair, prefix: "primary", primary))
    #expect(backedUp.status == 0, "\(backedUp.stderr)")
    let backupReport = try #require(try SyncPair.document(backedUp)["report"] as? [String: Any])
    #expect(backupReport["verdict"] as? String == "consistent")
    #expect(try primary.status() == .running)

    // The directory verifies against the primary, as backup's help says it is verified later.
    let verified = try TestPrograms.run([
      TestPrograms.executable, "verify", "--primary", primary.configFile, "--failover",
      primary.configFile, "--failover-root", backup, "--no-progress",
    ])
    #expect(verified.status == 0, "\(verified.stdout) \(verified.stderr)")

    #expect(try target.status() == .stopped)
    let restored = try TestPrograms.run([
      TestPrograms.executable, "restore", "--from", backup, "--from-config", primary.configFile,
      "--to", target.configFile, "--start", "--target-start", pair.service("start", target),
      "--target-status", pair.service("status", target), "--state-dir", pair.state, "--lock",
      pair.lock, "--log", pair.log, "--execute", "--format", "json",
    ])
    #expect(restored.status == 0, "\(restored.stderr)")
    let steps = SyncPair.steps(try SyncPair.document(restored))
    #expect((steps["finish.wait-running"]?["outcome"] as? String)?.hasPrefix("ok") == true)
    #expect(try target.status() == .running)
    let copy = try target.state()
    #expect(served == copy, "\(served.differenceReport(from: copy))")
    #expect(served.messages(in: "user.anna").count == 5)
  }

  /// The service commands of `instance` as `--PREFIX-stop/-start/-status`, and the pair's
  /// state directory, lock and log.
  static func procedureOptions(_ pair: SyncPair, prefix: String, _ instance: LiveCyrusInstance)
    -> [String]
  {
    [
      "--\(prefix)-stop", pair.service("stop", instance), "--\(prefix)-start",
      pair.service("start", instance), "--\(prefix)-status", pair.service("status", instance),
      "--state-dir", pair.state, "--lock", pair.lock, "--log", pair.log,
    ]
  }
}
