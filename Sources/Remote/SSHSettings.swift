import CyrusStore
import Processes

/// How this host reaches the other: the `ssh` words (`--ssh`, split like rsync's `-e`), the
/// path of cyrus-failover there, and ssh's environment. Shared by verify, manifest and the
/// procedure, so that every connection to a host is made the same way.
public struct SSHSettings: Sendable {
  /// The ssh command line before our options: `["ssh", "-p", "2222", "-i", "KEY"]`.
  public var sshWords: [String]
  /// cyrus-failover on the remote host (a name found on its PATH, or a path).
  public var remoteCommand: String
  /// ssh's whole environment (`HOME` for `~/.ssh`, `SSH_AUTH_SOCK` for an agent, `PATH`).
  public var environment: [String: String]

  /// Settings from the `--ssh` text; the environment is the caller's (only the executable reads
  /// its own).
  /// - Throws: ``RemoteError`` for `--ssh` text that does not split into words.
  public init(
    ssh: String = "ssh", remoteCommand: String = "cyrus-failover", environment: [String: String]
  )
    throws(RemoteError)
  {
    do {
      sshWords = try ShellWords.split(ssh)
    } catch {
      throw RemoteError(.transport, "--ssh: \(error)")
    }
    guard !sshWords.isEmpty else { throw RemoteError(.transport, "--ssh is empty") }
    guard !remoteCommand.isEmpty else { throw RemoteError(.transport, "--remote-command is empty") }
    self.remoteCommand = remoteCommand
    self.environment = environment
  }

  /// The ssh program's absolute path: as given when it holds a `/`, else found on `PATH`.
  public func program() throws(RemoteError) -> String {
    let searchPath = environment["PATH"] ?? "/usr/bin:/bin"
    guard let found = Invocation.resolve(sshWords[0], searchPath: searchPath) else {
      throw RemoteError(
        .transport,
        "'\(sshWords[0])' (from --ssh) is not on PATH; install openssh-client or give its full path"
      )
    }
    return found
  }

  /// The argv that runs `remoteArgv` on `destination`: the `--ssh` words, batch mode and the
  /// keepalive, then the remote command, each word single-quoted for the remote shell.
  public func commandLine(destination: String, remoteArgv: [String]) -> [String] {
    sshWords + ["-o", "BatchMode=yes"] + SSHTransport.keepalive + [
      "-T", "-x", "--", destination, remoteArgv.map(ShellWords.quote).joined(separator: " "),
    ]
  }

  /// The value of rsync's `-e`: the same ssh command (batch mode, keepalive), its words quoted
  /// for rsync's own splitting.
  public var rsyncShell: String {
    (sshWords + ["-o", "BatchMode=yes"] + SSHTransport.keepalive + ["-x"])
      .map { word in
        word.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:@,+".contains($0) }
          ? word : ShellWords.quote(word)
      }.joined(separator: " ")
  }

  /// Starts ssh and the agent on `target`, and opens the instance there; `offer` names the
  /// mailbox files this side already holds, which the agent then does not send again.
  public func connect(
    _ target: RemoteTarget, request: OpenRequest, offer: MailboxFileOffer = .init(),
    toolVersion: String, runner: ProcessRunner
  ) throws -> RemoteSession {
    let transport = try SSHTransport(
      program: try program(), sshWords: sshWords, target: target, remoteCommand: remoteCommand,
      environment: environment, runner: runner)
    do {
      let connection = try AgentConnection(
        channel: transport.channel, request: request, offer: offer, toolVersion: toolVersion,
        where: target.destination, explainEnd: { transport.failure(during: $0) })
      return RemoteSession(target: target, transport: transport, connection: connection)
    } catch {
      transport.terminate()
      throw error
    }
  }
}

/// One connected remote side: the ssh process and the agent session on it.
public struct RemoteSession {
  /// Where it runs.
  public var target: RemoteTarget
  /// The ssh process.
  public var transport: SSHTransport
  /// The agent session.
  public var connection: AgentConnection

  /// Byte and segment counters, for `--stats`.
  public var statistics: TransportStatistics {
    TransportStatistics(
      destination: target.destination, bytesSent: connection.channel.bytesSent,
      bytesReceived: connection.channel.bytesReceived,
      segmentsSettled: connection.segmentsSkipped, segmentsFetched: connection.segmentsSent,
      groupsSettled: connection.groupsSkipped, groupsOpened: connection.groupsOpened)
  }

  /// Waits for ssh to exit after a complete session.
  public func finish() { transport.finish() }

  /// Tells the agent why the local side stops, and ends ssh.
  public func abandon(_ reason: String) {
    connection.abandon(reason)
    transport.terminate()
  }
}

/// What crossed the wire to one remote side.
public struct TransportStatistics: Sendable, Equatable {
  /// `host` or `user@host`.
  public var destination: String
  /// Bytes sent to and received from the agent, frame headers included.
  public var bytesSent: Int
  public var bytesReceived: Int
  /// Segments settled by their digest alone, and segments whose entries were fetched.
  public var segmentsSettled: Int
  public var segmentsFetched: Int
  /// Groups of segments settled by their digest alone, and groups opened (protocol 7).
  public var groupsSettled: Int
  public var groupsOpened: Int
}
