import ArgumentParser
import CyrusStore
import Foundation
import Remote

/// How to reach a side given as `[user@]host:PATH`: shared by `verify` and `manifest`.
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
    help: "Bytes sent and received over SSH, and segments matched or fetched, on standard error.")
  var stats = false

  func validate() throws {
    do {
      _ = try ShellWords.split(ssh)
    } catch {
      throw ValidationError("\(error)")
    }
    guard !remoteCommand.isEmpty else { throw ValidationError("--remote-command is empty") }
  }

  /// Starts ssh and the agent on `target`, and opens the instance there; `hashJobs` 0 leaves
  /// the hashing threads to the agent's host.
  func connect(
    _ target: RemoteTarget, root: String?, level: VerifyLevel, includeRuntime: Bool,
    everything: Bool = false, hashJobs: Int = 0
  )
    throws -> RemoteSession
  {
    let words = try ShellWords.split(ssh)
    let transport = try SSHTransport(
      program: try Self.resolve(words[0]), sshWords: words, target: target,
      remoteCommand: remoteCommand)
    do {
      let connection = try AgentConnection(
        channel: transport.channel,
        request: OpenRequest(
          instance: target.path, root: root, level: level, includeRuntime: includeRuntime,
          everything: everything, hashJobs: hashJobs),
        toolVersion: CyrusFailover.toolVersion, where: target.destination,
        explainEnd: { transport.failure(during: $0) })
      return RemoteSession(target: target, transport: transport, connection: connection)
    } catch {
      transport.terminate()
      throw error
    }
  }

  /// The program's absolute path: as given when it has a `/`, else the first match on `PATH`.
  static func resolve(_ program: String) throws -> String {
    if program.contains("/") { return program }
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    for directory in path.split(separator: ":") where !directory.isEmpty {
      let candidate = "\(directory)/\(program)"
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
    }
    throw RemoteError(
      .transport,
      "'\(program)' (from --ssh) is not on PATH; install openssh-client or give its full path")
  }
}

/// One connected remote side: the ssh process and the agent session on it.
struct RemoteSession {
  var target: RemoteTarget
  var transport: SSHTransport
  var connection: AgentConnection

  /// Prints the byte counters.
  func printStats(_ role: String) {
    let channel = connection.channel
    Console.err(
      "cyrus-failover: \(role) \(target.destination): \(channel.bytesSent) bytes sent, \(channel.bytesReceived) bytes "
        + "received; segments: \(connection.segmentsSkipped) settled by digest, \(connection.segmentsSent) fetched\n"
    )
  }

  /// Waits for ssh to exit after a complete session.
  func finish() { transport.finish() }
}
