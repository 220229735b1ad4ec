import ArgumentParser
import Remote

/// The `cyrus-failover` command: proves a Cyrus IMAP failover or backup copy consistent with
/// its primary.
struct CyrusFailover: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cyrus-failover",
    abstract: "Prove a Cyrus IMAP failover (or backup) copy consistent with its primary.",
    discussion: """
      Exit status: 0 consistent, 1 differences found, 2 error (could not verify).
      Results go to standard output; progress and logs to standard error.
      """,
    version: BuildInfo.versionLine,
    subcommands: [Verify.self, Manifest.self, Agent.self, Mboxlist.self, ReadBerkeleyDB.self]
  )
}

/// Entry point: runs the command and maps every outcome onto the documented exit statuses
/// (usage errors too, which ArgumentParser would otherwise report as 64); `verify --nagios`
/// onto the plugin's, where an error is UNKNOWN (3) with its status line.
@main
enum Main {
  static func main() {
    _ = RunClock.started
    var parsed: (any ParsableCommand)?
    do {
      var command = try CyrusFailover.parseAsRoot()
      parsed = command
      if !(command is CyrusFailover.ReadBerkeleyDB) {
        // libdb may crash or hang on a damaged file: every command that reads databases reads
        // Berkeley DB files in a child, `read-berkeley-db`, which reads them in process.
        BerkeleyChildReader().install()
      }
      try command.run()
    } catch let exit as ExitCode {
      Console.exit(exit.rawValue)
    } catch {
      let code = CyrusFailover.exitCode(for: error)
      let message = CyrusFailover.fullMessage(for: error)
      if code == .success {
        Console.out(message + "\n")
        Console.exit(0)
      }
      Console.err("cyrus-failover: " + message + "\n")
      let short = CyrusFailover.message(for: error)
      if let verify = parsed as? CyrusFailover.Verify { Console.exit(verify.monitor.failed(short)) }
      Console.exit(VerifyMonitor.parseFailed(short, arguments: CommandLine.arguments) ?? 2)
    }
  }
}
