import Foundation
import TestSupport

/// A hostile agent for `verify`: `scripts/hostile-agent.py` run in place of `ssh` (`--ssh`),
/// speaking the agent protocol the way a compromised or broken peer could, against a small
/// local primary whose areas it knows (`config`, `partition-default`).
struct HostilePeer {
  /// The test's directory: the local instance and the wrapper live here.
  let directory: TemporaryDirectory
  /// The local primary's imapd.conf.
  let primary: String

  init() throws {
    directory = try TemporaryDirectory(prefix: "hostile-peer")
    try directory.mkdir("instance/config")
    try directory.write("instance/config/mailboxes.db")  // empty: no mailboxes
    try directory.mkdir("instance/spool")
    let root = directory.path + "/instance"
    primary = try directory.write(
      "instance/imapd.conf", "configdirectory: \(root)/config\npartition-default: \(root)/spool\n")
  }

  /// The `--ssh` value that runs the peer in `scenario` (with `argument`, if any).
  func ssh(_ scenario: String, _ argument: String? = nil) throws -> String {
    let name = "peer-\(scenario)\(argument.map { "-" + $0 } ?? "")"
    let script = Tool.repository + "/scripts/hostile-agent.py"
    try directory.write(
      name, "#!/bin/sh\nexec /usr/bin/python3 '\(script)' \(scenario) \(argument ?? "")\n",
      mode: 0o755)
    return directory.path + "/" + name
  }

  /// Runs `cyrus-failover verify` of the local primary against the peer in `scenario`, under
  /// `/usr/bin/time` for its peak resident memory, killed after 60 s if it has not ended.
  func verify(_ scenario: String, _ argument: String? = nil) throws -> (
    result: Tool.Result, peakKiB: Int
  ) {
    let result = try TestPrograms.run(
      [
        "/usr/bin/time", "-f", "peak-rss-kib %M", Tool.executable, "verify", "--no-progress",
        "--primary", primary, "--failover", "127.0.0.1:/x/imapd.conf", "--ssh",
        try ssh(scenario, argument),
      ], timeLimit: .seconds(60))
    let peak = result.stderr.split(separator: "\n").compactMap { line -> Int? in
      guard line.hasPrefix("peak-rss-kib ") else { return nil }
      return Int(line.dropFirst("peak-rss-kib ".count))
    }.last
    return (result, peak ?? -1)
  }
}
