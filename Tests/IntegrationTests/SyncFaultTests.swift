import Foundation
import TestSupport
import Testing

/// `cyrus-failover sync` when something goes wrong around the primary's stopped window: each
/// fault ends with exit status 2, the failed step named in the JSON report, the primary's
/// Cyrus running again and its files as they were (a full manifest before and after, with no
/// mail arriving meanwhile). Each pair is synced once first, so mailboxlist.txt exists and the
/// faulty run leaves it as it is.
@Suite(.serialized) struct SyncFaultTests {
  /// A pair with mail, synced once; its log emptied for the next run; the primary's snapshot.
  static func syncedPair(over ssh: SSHServer? = nil) throws -> (SyncPair, String) {
    let pair = try SyncPair()
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    let first = try pair.sync(["--execute"], over: ssh)
    try #require(first.status == 0, "the first sync: \(first.stderr)")
    try FileManager.default.removeItem(atPath: pair.log)
    return (pair, try SyncPair.snapshot(pair.primary, in: pair.directory.path))
  }

  /// The report's failure text.
  static func failure(_ result: TestPrograms.Result) throws -> String {
    let report = try SyncPair.document(result)["report"] as? [String: Any]
    return report?["failure"] as? String ?? ""
  }

  @Test func rsyncKilledInTheSecondPass() throws {
    let (pair, snapshot) = try Self.syncedPair()
    let mark = pair.directory.path + "/rsync-killed"
    let bin = try SyncFaults.rsyncKiller(in: pair.directory.path, pair: pair, mark: mark)
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = bin + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    let result = try pair.sync(["--execute", "--format", "json"], environment: environment)
    try SyncFaults.expectRecovered(result, failedStep: "pass2.config", pair, snapshot: snapshot)
    #expect(try Self.failure(result).contains("rsync was killed by SIGKILL"))
    let killed = try String(contentsOfFile: mark, encoding: .utf8)
    #expect(killed.split(separator: "\n").count == 1, "\(killed)")
  }

  @Test func sshConnectionCutInTheSecondPass() throws {
    let server = try SSHServer()
    let (pair, snapshot) = try Self.syncedPair(over: server)
    let mark = pair.directory.path + "/ssh-cut"
    let cutter = try SyncFaults.sshCutter(in: pair.directory.path, pair: pair, mark: mark)
    let result = try pair.sync(
      ["--execute", "--format", "json"], over: server, sshProgram: cutter)
    try SyncFaults.expectRecovered(result, failedStep: "pass2.config", pair, snapshot: snapshot)
    let cut = try String(contentsOfFile: mark, encoding: .utf8)
    #expect(cut.hasPrefix("cut after ") && !cut.hasPrefix("cut after 0 "), "\(cut)")
  }

  @Test func stopCommandFails() throws {
    let (pair, snapshot) = try Self.syncedPair()
    let result = try pair.sync(["--execute", "--format", "json"], stop: "false")
    try SyncFaults.expectRecovered(result, failedStep: "window.stop", pair, snapshot: snapshot)
    #expect(try Self.failure(result).contains("false ended with exit status 1"))
  }

  @Test func stopCommandHangs() throws {
    let (pair, snapshot) = try Self.syncedPair()
    let started = ContinuousClock.now
    let result = try pair.sync(
      ["--execute", "--format", "json", "--stop-timeout", "3"], stop: "sleep 600")
    try SyncFaults.expectRecovered(result, failedStep: "window.stop", pair, snapshot: snapshot)
    #expect(try Self.failure(result).contains("ran past its time limit of 3 s"))
    #expect(ContinuousClock.now - started < .seconds(300))
  }

  @Test func startCommandFailsOnce() throws {
    let (pair, snapshot) = try Self.syncedPair()
    let mark = pair.directory.path + "/start-refused"
    let start = pair.directory.path + "/start-once"
    try SyncFaults.writeProgram(
      start,
      """
      #!/bin/sh
      if [ ! -e \(mark) ]; then
        echo refused > \(mark)
        echo "start refused on purpose (the first call)" >&2
        exit 1
      fi
      exec \(pair.service("start", pair.primary))

      """)
    let result = try pair.sync(["--execute", "--format", "json"], start: start)
    try SyncFaults.expectRecovered(result, failedStep: "window.start", pair, snapshot: snapshot)
    #expect(FileManager.default.fileExists(atPath: mark))
    let report = try #require(try SyncPair.document(result)["report"] as? [String: Any])
    let window = try #require(report["window"] as? [String: Any])
    #expect(window["startConfirmed"] as? Double != nil, "the retry's start is confirmed")
  }

  @Test func failoverPartitionFull() throws {
    let pair = try SyncPair()
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    let partition = try #require(pair.failover.info.areas["partition-default"])
    let mount = try TmpfsMount(on: partition, bytes: 2 << 20)
    defer { mount.unmount() }
    let first = try pair.sync(["--execute"])
    try #require(first.status == 0, "the first sync fits: \(first.stderr)")
    try FileManager.default.removeItem(atPath: pair.log)
    // 3 MiB of mail arrives after the checks (which see it fit), before the stop; the snapshot
    // is taken once the primary has stopped, so it holds that mail.
    let snapshot = pair.directory.path + "/snapshot-window.cfm"
    let deliver =
      "python3 \(CyrusInstanceScript.path) deliver \(pair.primary.root) anna --count 3 "
      + "--size 1048576 >/dev/null"
    let save =
      "\(TestPrograms.executable) manifest --instance \(pair.primary.configFile) --output \(snapshot)"
    let stop = "sh -c '\(deliver) && \(pair.service("stop", pair.primary)) && \(save)'"
    let result = try pair.sync(["--execute", "--format", "json"], stop: stop)
    try SyncFaults.expectRecovered(
      result, failedStep: "pass2.partition-default", pair, snapshot: snapshot)
    let log = try String(contentsOfFile: pair.log, encoding: .utf8)
    #expect(log.contains("No space left on device"))
  }

  @Test(arguments: [SIGINT, SIGTERM, SIGHUP])
  func signalInTheWindow(_ signal: Int32) throws {
    let (pair, snapshot) = try Self.syncedPair()
    let stopper = pair.directory.path + "/stop.pid"
    let tool = try BackgroundTool(
      pair.syncArguments(
        ["--execute", "--format", "json"],
        stop: SyncFaults.stopThenWait(pair, pidFile: stopper)))
    try Self.waitForTheWindow(pair, tool)
    tool.send(signal)
    let result = try tool.finish()
    try SyncFaults.expectRecovered(result, failedStep: "window.stop", pair, snapshot: snapshot)
    #expect(result.stderr.contains("signal \(signal)"))
    #expect(!SyncFaults.lives(pidFile: stopper), "the stop command was ended")
  }

  @Test func sigkillInTheWindowLeavesItToTheWatchdog() throws {
    let (pair, snapshot) = try Self.syncedPair()
    let stopper = pair.directory.path + "/stop.pid"
    let tool = try BackgroundTool(
      pair.syncArguments(
        ["--execute", "--format", "json"],
        stop: SyncFaults.stopThenWait(pair, pidFile: stopper)))
    try Self.waitForTheWindow(pair, tool)
    let watchdog = try #require(Self.child(of: tool.pid, named: "watchdog"))
    // Should the test fail before the watchdog is done, it must not start the primary later.
    defer { if LiveCyrusInstance.isLive(watchdog) { kill(watchdog, SIGKILL) } }
    // Terminal and service-manager signals do not end the watchdog: only its pipe's end does.
    for number in [SIGHUP, SIGINT, SIGTERM] { kill(watchdog, number) }
    tool.send(SIGKILL)
    let result = try tool.finish()
    #expect(result.termination == .signaled(SIGKILL))
    try SyncFaults.waitUntil("the watchdog to start the primary", within: .seconds(60)) {
      try pair.primary.status() == .running
    }
    try SyncFaults.waitUntil("the watchdog to end") { !LiveCyrusInstance.isLive(watchdog) }
    #expect(!SyncFaults.lives(pidFile: stopper), "the watchdog ended the stop command")
    #expect(pair.primary.processes().filter(Self.isStopped) == [])
    #expect(try SyncPair.changes(pair.primary, since: snapshot) == [])
    let said = try String(contentsOfFile: pair.log + ".watchdog", encoding: .utf8)
    #expect(said.contains("the source's Cyrus runs again"), "\(said)")
  }

  /// Waits until the tool has started `window.stop` and the primary's Cyrus has stopped.
  static func waitForTheWindow(_ pair: SyncPair, _ tool: BackgroundTool) throws {
    try SyncFaults.waitUntil("window.stop in the log") {
      guard tool.isRunning else { throw ProcessFailure(description: "the tool ended early") }
      return SyncFaults.events(pair.log).contains("step-start window.stop")
    }
    try SyncFaults.waitUntil("the primary to stop") {
      guard tool.isRunning else { throw ProcessFailure(description: "the tool ended early") }
      return try pair.primary.status() == .stopped
    }
  }

  /// The child of `parent` whose first argument is `name` (`cyrus-failover watchdog`).
  static func child(of parent: pid_t, named name: String) -> pid_t? {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { pid_t($0) }.first { pid in
      guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
        let close = stat.lastIndex(of: UInt8(ascii: ")")),
        let fields = Optional(String(decoding: stat[(close + 2)...], as: UTF8.self)),
        pid_t(fields.split(separator: " ").dropFirst().first ?? "") == parent,
        let line = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return false }
      let words = line.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
      return words.count > 1 && words[1] == name
    }
  }

  /// Whether a process is stopped (state T: SIGSTOP, or traced).
  static func isStopped(_ pid: pid_t) -> Bool {
    guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count
    else { return false }
    return [UInt8(ascii: "T"), UInt8(ascii: "t")].contains(stat[close + 2])
  }
}
