import ArgumentParser
import Glibc
import Remote
import Verification

/// The `cyrus-failover` command: proves a Cyrus IMAP failover or backup copy consistent with
/// its primary.
struct CyrusFailover: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cyrus-failover",
    abstract: "Prove a Cyrus IMAP failover (or backup) copy consistent with its primary.",
    discussion: """
      Exit status: \(ExitStatus.allCases.map { "\($0.rawValue) \($0.meaning)" }.joined(separator: ", ")).
      Results go to standard output; progress and logs to standard error.
      """,
    version: BuildInfo.versionLine,
    subcommands: [
      Verify.self, Sync.self, Backup.self, Restore.self, Repair.self, Promote.self,
      VerifySignOff.self, Manifest.self, Mboxlist.self, Agent.self,
      ReadBerkeleyDB.self, Probe.self, WatchdogCommand.self,
    ]
  )
}

/// Entry point: runs the command and maps every outcome onto the documented exit statuses
/// (usage errors too, which ArgumentParser would otherwise report as 64); `verify --nagios`
/// onto the plugin's, where an error is UNKNOWN (3) with its status line.
@main
enum Main {
  /// The signals that end a run, taken by one thread (set up here, before any other thread).
  nonisolated(unsafe) static var signals: SignalRelay?

  static func main() {
    // A write to a child or peer that has gone (ssh, the Berkeley DB reader) must be an error
    // (EPIPE) the code handles, not a signal that ends the tool: the one signal disposition
    // cyrus-failover sets, here and nowhere else. Children get the default again.
    signal(SIGPIPE, SIG_IGN)
    signals = SignalRelay()
    _ = RunClock.started
    var parsed: (any ParsableCommand)?
    do {
      var command = try CyrusFailover.parseAsRoot()
      parsed = command
      try command.run()
    } catch let exit as ExitCode {
      Console.exit(exit.rawValue)
    } catch {
      let code = CyrusFailover.exitCode(for: error)
      let message = CyrusFailover.fullMessage(for: error)
      if code == .success {
        Console.out(message + "\n")
        Console.exit(ExitStatus.consistent.rawValue)
      }
      Console.err("cyrus-failover: " + Terminal.safe(message, keepNewlines: true) + "\n")
      let short = CyrusFailover.message(for: error)
      if let verify = parsed as? CyrusFailover.Verify { Console.exit(verify.monitor.failed(short)) }
      Console.exit(
        VerifyMonitor.parseFailed(short, arguments: CommandLine.arguments)
          ?? ExitStatus.error.rawValue)
    }
  }
}
