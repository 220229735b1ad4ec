import ArgumentParser
import Remote
import Verification

/// How to reach a side given as `[user@]host:PATH`: shared by every command that may talk to
/// another host.
struct SSHOptions: ParsableArguments {
  @Option(
    name: .customLong("ssh"),
    help: ArgumentHelp(
      "The ssh command for remote sides, split into words like rsync's -e (no shell): \"ssh -p 2222 -i KEY\".",
      valueName: "command"))
  var ssh = "ssh"

  @Option(
    help: ArgumentHelp(
      "Path of cyrus-failover on the remote host (default: found on its PATH).", valueName: "path"))
  var remoteCommand = "cyrus-failover"

  @Flag(
    help: ArgumentHelp(
      "Bytes sent and received over SSH, and segments matched or fetched, on standard error.",
      discussion:
        "With both sides on this host at --level full: the files compared byte for byte and "
        + "the files hashed. With --cache: what the digest cache did."))
  var stats = false

  @Flag(help: "Log every program started (ssh, the Berkeley DB reader) on standard error.")
  var verbose = false

  func validate() throws {
    do {
      _ = try SSHSettings(ssh: ssh, remoteCommand: remoteCommand, environment: [:])
    } catch {
      throw ValidationError("\(error)")
    }
  }

  /// The settings for the library, with this process's environment for ssh.
  func settings(_ environment: ToolEnvironment) throws -> SSHSettings {
    try SSHSettings(
      ssh: ssh, remoteCommand: remoteCommand, environment: environment.sshEnvironment)
  }

  /// Prints the byte counters of a remote side.
  static func printStatistics(_ role: String, _ statistics: TransportStatistics) {
    Console.err(
      "cyrus-failover: \(role) \(Terminal.safe(statistics.destination)): \(statistics.bytesSent) bytes sent, "
        + "\(statistics.bytesReceived) bytes received; groups: \(statistics.groupsSettled) settled by "
        + "digest, \(statistics.groupsOpened) opened; segments: \(statistics.segmentsSettled) settled by "
        + "digest, \(statistics.segmentsFetched) fetched\n")
  }
}
