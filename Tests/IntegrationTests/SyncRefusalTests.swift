import Foundation
import TestSupport
import Testing

/// `cyrus-failover sync --execute` on bad input: a clear refusal before anything is changed —
/// exit status 2, the check named in the plan with `passed: false`, the report `refused`, both
/// instances' files as they were, the primary still running, no state directory made.
@Suite(.serialized) struct SyncRefusalTests {
  /// A pair with mail, and full manifests of both instances.
  static func pair(failoverRunning: Bool = false) throws -> (SyncPair, [String]) {
    let pair = try SyncPair()
    try pair.primary.deliver(to: ["anna"], count: 2)
    if failoverRunning { try pair.failover.start() }
    let snapshots = try [pair.primary, pair.failover].map {
      try SyncPair.snapshot($0, in: pair.directory.path)
    }
    return (pair, snapshots)
  }

  /// Checks the refusal of `check`, and that nothing changed.
  static func expectRefused(
    _ result: TestPrograms.Result, check: String, _ pair: SyncPair, _ snapshots: [String],
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
    let document = try SyncPair.document(result)
    let plan = try #require(document["plan"] as? [String: Any], sourceLocation: sourceLocation)
    let checks = plan["checks"] as? [[String: Any]] ?? []
    let refused = checks.filter { $0["passed"] as? Bool == false }.compactMap {
      $0["name"] as? String
    }
    #expect(refused.contains(check), "refused: \(refused)", sourceLocation: sourceLocation)
    let report = document["report"] as? [String: Any]
    #expect(report?["outcome"] as? String == "refused", sourceLocation: sourceLocation)
    #expect((report?["steps"] as? [Any])?.isEmpty != false, sourceLocation: sourceLocation)
    #expect(try pair.primary.status() == .running, sourceLocation: sourceLocation)
    for (instance, snapshot) in zip([pair.primary, pair.failover], snapshots) {
      #expect(
        try SyncPair.changes(instance, since: snapshot) == [], "\(instance.root)",
        sourceLocation: sourceLocation)
    }
    #expect(!FileManager.default.fileExists(atPath: pair.state), sourceLocation: sourceLocation)
  }

  /// The failover's imapd.conf with its partition-default at `partition`, beside the pair.
  static func failoverConf(_ pair: SyncPair, partition: String) throws -> String {
    let own = try #require(pair.failover.info.areas["partition-default"])
    let text = try String(contentsOfFile: pair.failover.configFile, encoding: .utf8)
      .replacingOccurrences(
        of: "partition-default: \(own)\n", with: "partition-default: \(partition)\n")
    #expect(text.contains("partition-default: \(partition)\n"))
    let path = pair.directory.path + "/failover-\(UUID().uuidString).conf"
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  /// `sync --execute --format json` of the pair with another failover imapd.conf.
  static func sync(_ pair: SyncPair, failover conf: String) throws -> TestPrograms.Result {
    try TestPrograms.run(
      [
        TestPrograms.executable, "sync", "--primary", pair.primary.configFile, "--failover", conf,
        "--execute", "--format", "json",
      ] + pair.options())
  }

  @Test(arguments: ["the same directory", "a directory inside it"])
  func failoverPartitionOverlapsThePrimarys(_ how: String) throws {
    let (pair, snapshots) = try Self.pair()
    let spool = try #require(pair.primary.info.areas["partition-default"])
    let partition = how == "the same directory" ? spool : spool + "/failover"
    let result = try Self.sync(pair, failover: try Self.failoverConf(pair, partition: partition))
    try Self.expectRefused(result, check: "direction", pair, snapshots)
    #expect(!FileManager.default.fileExists(atPath: spool + "/failover"))
  }

  @Test func failoverPartitionIsASymlinkToThePrimarys() throws {
    let (pair, snapshots) = try Self.pair()
    let link = pair.directory.path + "/spool-link"
    try FileManager.default.createSymbolicLink(
      atPath: link, withDestinationPath: try #require(pair.primary.info.areas["partition-default"]))
    let result = try Self.sync(pair, failover: try Self.failoverConf(pair, partition: link))
    try Self.expectRefused(result, check: "direction", pair, snapshots)
  }

  @Test func rsyncMissingFromThePath() throws {
    let (pair, snapshots) = try Self.pair()
    // The service commands name python3 by its path; PATH holds nothing at all.
    let empty = pair.directory.path + "/empty-bin"
    try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: true)
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = empty
    let result = try pair.sync(["--execute", "--format", "json"], environment: environment)
    try Self.expectRefused(result, check: "rsync", pair, snapshots)
  }

  @Test func failoverCyrusRuns() throws {
    let (pair, snapshots) = try Self.pair(failoverRunning: true)
    let result = try pair.sync(["--execute", "--format", "json"])
    try Self.expectRefused(result, check: "failover-not-running", pair, snapshots)
    #expect(try pair.failover.status() == .running)
  }

  @Test func unknownServiceManager() throws {
    let (pair, snapshots) = try Self.pair()
    // No --primary-stop/-start/-status, and no unit or init script runs this imapd.conf (the
    // host's own cyrus-imapd runs /etc/imapd.conf only).
    let result = try TestPrograms.run([
      TestPrograms.executable, "sync", "--primary", pair.primary.configFile, "--failover",
      pair.failover.configFile, "--state-dir", pair.state, "--lock", pair.lock, "--log", pair.log,
      "--execute", "--format", "json",
    ])
    try Self.expectRefused(result, check: "primary-service", pair, snapshots)
  }

  /// A second run while another holds the lock (here this test process, as a running sync
  /// would): refused before any step, the holder's pid named.
  @Test func anotherRunHoldsTheLock() throws {
    let (pair, snapshots) = try Self.pair()
    let fd = open(pair.lock, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
    try #require(fd >= 0)
    defer { close(fd) }
    try #require(flock(fd, LOCK_EX | LOCK_NB) == 0)
    try Data("\(getpid())\n".utf8).write(to: URL(fileURLWithPath: pair.lock))
    let result = try pair.sync(["--execute", "--format", "json"])
    #expect(result.status == 2, "\(result.stderr)")
    let report = try SyncPair.document(result)["report"] as? [String: Any]
    #expect(report?["outcome"] as? String == "refused")
    let failure = report?["failure"] as? String ?? ""
    #expect(
      failure.contains("another cyrus-failover run holds \(pair.lock) (pid \(getpid()))"),
      "\(failure)")
    #expect((report?["steps"] as? [Any])?.isEmpty != false)
    #expect(try pair.primary.status() == .running)
    for (instance, snapshot) in zip([pair.primary, pair.failover], snapshots) {
      #expect(try SyncPair.changes(instance, since: snapshot) == [], "\(instance.root)")
    }
  }

  @Test func aPlanWithRefusalsExits2AndPrintsThem() throws {
    let (pair, snapshots) = try Self.pair(failoverRunning: true)
    let result = try pair.sync([])
    #expect(result.status == 2, "\(result.stderr)")
    #expect(result.stdout.contains("[REFUSED] failover-not-running: the failover's Cyrus runs"))
    #expect(try pair.primary.status() == .running)
    for (instance, snapshot) in zip([pair.primary, pair.failover], snapshots) {
      #expect(try SyncPair.changes(instance, since: snapshot) == [])
    }
  }
}
