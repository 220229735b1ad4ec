import Foundation
import Processes
import Verification

/// Runs the agent on another host through the system OpenSSH client, with the agent's standard
/// input and output as the channel.
///
/// The command line is `SSH-WORDS -o BatchMode=yes -T -x -- DESTINATION 'REMOTE-COMMAND' agent`:
/// the user's `--ssh` words come first, so their `-o` options win over ours and
/// `~/.ssh/config` applies as usual; host keys are checked as ssh checks them (BatchMode turns
/// an unknown key into a failure instead of a question). The remote command is the only text
/// the remote shell sees, single-quoted; the instance path goes over the protocol, never on the
/// command line.
public final class SSHTransport {
  /// The full argv that was run (tests record it).
  public let arguments: [String]
  /// Where the agent runs.
  public let target: RemoteTarget
  /// The remote command as given (`--remote-command`).
  public let remoteCommand: String
  private let child: ChildProcess
  /// The channel to the agent.
  public let channel: ByteChannel
  /// Bytes of ssh's standard error kept (the last ones).
  static let stderrBytes = 16 << 10
  /// Keepalive: a silent peer is given up after interval × count seconds, so a dead connection
  /// ends the run instead of hanging it. The user's `--ssh` words may set other values.
  static let keepalive = ["-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=4"]

  /// The argv for `ssh`, without running anything.
  /// - Parameters:
  ///   - sshWords: the `--ssh` value split into words (`["ssh"]` by default).
  public static func commandLine(sshWords: [String], target: RemoteTarget, remoteCommand: String)
    -> [String]
  {
    sshWords + ["-o", "BatchMode=yes"] + keepalive + [
      "-T", "-x", "--", target.destination, ShellWords.quote(remoteCommand) + " agent",
    ]
  }

  /// Starts `ssh` through `runner`.
  /// - Parameters:
  ///   - program: the absolute path of the first `--ssh` word.
  ///   - environment: ssh's whole environment (its `HOME` finds `~/.ssh`; `SSH_AUTH_SOCK` an
  ///     agent).
  public init(
    program: String, sshWords: [String], target: RemoteTarget, remoteCommand: String,
    environment: [String: String], runner: ProcessRunner
  ) throws(RemoteError) {
    precondition(!sshWords.isEmpty, "the ssh command line has at least the program")
    self.target = target
    self.remoteCommand = remoteCommand
    arguments = Self.commandLine(sshWords: sshWords, target: target, remoteCommand: remoteCommand)
    let invocation = Invocation(
      program, Array(arguments.dropFirst()), environment: environment, standardInput: .pipe,
      standardOutput: .pipe, standardError: .captureTail(limit: Self.stderrBytes))
    do {
      child = try runner.start(invocation)
    } catch {
      throw RemoteError(.transport, "cannot start \(error)")
    }
    guard let input = child.standardOutput, let output = child.standardInput else {
      preconditionFailure("ssh's standard input and output are pipes")
    }
    channel = ByteChannel(input: input.rawValue, output: output.rawValue)
  }

  /// Closes the agent's standard input and waits for `ssh` to exit.
  /// - Returns: ssh's exit status (255: ssh itself failed; otherwise the remote command's),
  ///   or 255 when a signal ended it.
  @discardableResult
  public func finish() -> Int32 {
    child.closeStandardInput()
    switch child.finish().termination {
    case .exited(let status): return status
    case .signaled: return 255
    }
  }

  /// Ends `ssh` at once (an error on our side).
  public func terminate() {
    child.terminate(grace: .seconds(2))
    _ = finish()
  }

  /// What ssh and the remote side wrote on standard error, last lines only.
  public var stderrText: String { String(decoding: child.standardErrorSoFar, as: UTF8.self) }

  /// Turns the end of the stream before the agent answered into a message that says what
  /// happened and what to do, from ssh's exit status and its standard error.
  public func failure(during phase: AgentConnection.Phase) -> RemoteError {
    if phase == .walking || phase == .opening {
      // The agent ran: whatever ssh says now, the connection dropped (agent killed, network).
      terminate()
    }
    let status = finish()
    let text = stderrText.trimmingCharacters(in: .whitespacesAndNewlines)
    // ssh's words, and whatever the remote side wrote on its standard error: outside text, on
    // one line with its control characters escaped.
    let lastLines = text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " / ")
    let said = text.isEmpty ? "" : " (ssh said: \(Terminal.safe(lastLines)))"
    let host = target.destination
    if phase == .walking || phase == .opening {
      return RemoteError(
        .dropped,
        "the connection to \(host) dropped \(phase.rawValue) (ssh exit status \(status))\(said); nothing was verified "
          + "past that point")
    }
    if text.contains("Host key verification failed")
      || text.contains("HOST IDENTIFICATION HAS CHANGED")
      || text.contains("host key is known") || text.contains("No matching host key")
    {
      return RemoteError(
        .hostKey,
        "the host key of \(host) is unknown or has changed, so ssh refused to connect\(said). Check the key and "
          + "add it to known_hosts (connect once with ssh, or ssh-keyscan); cyrus-failover never turns host key checks off"
      )
    }
    if text.contains("Permission denied") {
      return RemoteError(
        .authentication,
        "ssh could not log in to \(host) with a key (BatchMode allows no password)\(said). Install a key for that "
          + "account (ssh-copy-id) or name one with --ssh \"ssh -i KEY\"")
    }
    let unreachable = [
      "Connection refused", "Could not resolve", "No route to host", "Network is unreachable",
      "timed out",
      "Connection closed by", "Connection reset", "kex_exchange_identification",
    ]
    if status == 255 && unreachable.contains(where: { text.contains($0) })
      || status == 255 && text.isEmpty
    {
      return RemoteError(.unreachable, "cannot reach \(host) over ssh\(said)")
    }
    if status == 127 || status == 126 || text.contains("not found") || text.contains("No such file")
    {
      return RemoteError(
        .missingBinary,
        "\(host) has no runnable cyrus-failover at '\(remoteCommand)'\(said). Install cyrus-failover "
          + "(the same version as here) on \(host), or give its path there with --remote-command PATH"
      )
    }
    return RemoteError(
      .dropped,
      "the connection to \(host) ended \(phase.rawValue) (ssh exit status \(status))\(said)")
  }
}
