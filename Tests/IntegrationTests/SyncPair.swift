import Foundation
import TestSupport

/// Two real Cyrus 3.6 instances for the procedure's tests — a primary that serves, a failover
/// that is stopped — in one temporary directory, with the service commands `sync` is given
/// (the instance script's `stop`, `start`, `status`), a state directory, a lock and a log of
/// its own. The failover is reached on this host, or over the test sshd on 127.0.0.1.
final class SyncPair: @unchecked Sendable {
  let directory: TemporaryDirectory
  let primary: LiveCyrusInstance
  let failover: LiveCyrusInstance
  let users: [String]
  var state: String { directory.path + "/state" }
  var log: String { directory.path + "/procedure.jsonl" }
  var lock: String { directory.path + "/lock" }

  init(users: [String] = ["anna", "bert"], startPrimary: Bool = true) throws {
    directory = try TemporaryDirectory(prefix: "cyrus-sync")
    // The cyrus user must reach both roots (the fixture refuses a parent it cannot enter).
    chmod(directory.path, 0o755)
    self.users = users
    primary = try LiveCyrusInstance.create(named: "primary", users: users, in: directory.path)
    failover = try LiveCyrusInstance.create(named: "failover", users: users, in: directory.path)
    if startPrimary { try primary.start() }
  }

  deinit {
    // Both masters end before their directory goes.
    try? primary.stop()
    try? failover.stop()
  }

  /// `python3 cyrus-instance.py ACTION ROOT` as one `--…-stop/start/status` value (python3 by
  /// its path: a test may run the tool with a PATH that lacks it).
  func service(_ action: String, _ instance: LiveCyrusInstance) -> String {
    "/usr/bin/python3 \(CyrusInstanceScript.path) \(action) \(instance.root)"
  }

  /// The options every test's `sync` gets: the service commands, state, lock and log.
  func options(stop: String? = nil, start: String? = nil) -> [String] {
    [
      "--primary-stop", stop ?? service("stop", primary),
      "--primary-start", start ?? service("start", primary),
      "--primary-status", service("status", primary),
      "--failover-status", service("status", failover),
      "--state-dir", state, "--lock", lock, "--log", log, "--stop-timeout", "60",
      "--start-timeout", "60",
    ]
  }

  /// `cyrus-failover sync` of this pair, the failover local or over `ssh`.
  /// - Parameters:
  ///   - sshProgram: run in place of `ssh` (a wrapper that cuts the connection).
  ///   - environment: the tool's environment (default: this process's).
  func sync(
    _ extra: [String], over ssh: SSHServer? = nil, stop: String? = nil, start: String? = nil,
    sshProgram: String? = nil, environment: [String: String]? = nil
  )
    throws -> TestPrograms.Result
  {
    try TestPrograms.run(
      syncArguments(extra, over: ssh, stop: stop, start: start, sshProgram: sshProgram),
      environment: environment, timeLimit: .seconds(900))
  }

  /// The argv of ``sync(_:over:stop:start:sshProgram:environment:)``.
  func syncArguments(
    _ extra: [String], over ssh: SSHServer? = nil, stop: String? = nil, start: String? = nil,
    sshProgram: String? = nil
  ) -> [String] {
    let failoverArgument =
      ssh.map { _ in "root@127.0.0.1:\(failover.configFile)" } ?? failover.configFile
    var arguments = [
      TestPrograms.executable, "sync", "--primary", primary.configFile, "--failover",
      failoverArgument,
    ]
    arguments += options(stop: stop, start: start)
    if let ssh {
      let option = ssh.sshOption()
      arguments += [
        "--ssh", sshProgram.map { $0 + option.dropFirst("ssh".count) } ?? option,
        "--remote-command", TestPrograms.executable,
      ]
    }
    return arguments + extra
  }

  /// A full manifest (every file's SHA-256) of `instance`, saved in `directory`.
  static func snapshot(_ instance: LiveCyrusInstance, in directory: String) throws -> String {
    let path = directory + "/snapshot-\(UUID().uuidString).cfm"
    try TestPrograms.must([
      TestPrograms.executable, "manifest", "--instance", instance.configFile, "--output", path,
    ])
    return path
  }

  /// Every finding of `instance` against its snapshot (any change, mtimes included).
  static func changes(_ instance: LiveCyrusInstance, since snapshot: String) throws -> [String] {
    let result = try TestPrograms.run([
      TestPrograms.executable, "verify", "--primary-manifest", snapshot, "--failover",
      instance.configFile, "--format", "json", "--no-progress",
    ])
    guard
      let object = try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any]
    else { throw ProcessFailure(description: "no JSON: \(result.stderr)") }
    return (object["findings"] as? [[String: Any]] ?? []).map {
      "\($0["code"] ?? "?") \($0["area"] ?? "-"):\($0["path"] ?? "-")"
    }
  }

  /// Real Cyrus's `cyr_dbtool` on a file of the pair (a scratch configuration of its own);
  /// returns what it prints.
  @discardableResult
  static func cyrDBTool(_ pair: SyncPair, _ arguments: [String]) throws -> String {
    let scratch = pair.directory.path + "/cyr_dbtool"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    let config = scratch + "/imapd.conf"
    try Data("configdirectory: \(scratch)\n".utf8).write(to: URL(fileURLWithPath: config))
    return try TestPrograms.must(["/usr/lib/cyrus/bin/cyr_dbtool", "-C", config] + arguments)
      .stdout
  }

  /// The JSON document a procedure prints with `--format json`.
  static func document(_ result: TestPrograms.Result) throws -> [String: Any] {
    guard
      let object = try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any]
    else {
      throw ProcessFailure(description: "no JSON: \(result.stdout) \(result.stderr)")
    }
    return object
  }

  /// The report's steps, id → the step's object.
  static func steps(_ document: [String: Any]) -> [String: [String: Any]] {
    let report = document["report"] as? [String: Any] ?? [:]
    let steps = report["steps"] as? [[String: Any]] ?? []
    return Dictionary(
      steps.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { first, _ in first })
  }
}
