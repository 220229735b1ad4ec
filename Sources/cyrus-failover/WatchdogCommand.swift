import ArgumentParser
import Failover
import Foundation
import Glibc
import SystemPackage
import Verification

extension CyrusFailover {
  /// `watchdog`: guards a procedure's stopped window from outside it (see `Watchdog`); started
  /// by the procedure itself, never by hand, hidden from help.
  struct WatchdogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "watchdog",
      abstract: "Start the source's Cyrus if the procedure ends inside its stopped window.",
      shouldDisplay: false)

    @Argument(help: "The configuration, as JSON.")
    var configuration: String

    func run() throws {
      // Ours to outlive the procedure: no terminal signal ends the watchdog. SIGINT, SIGTERM and
      // SIGHUP are blocked and taken by main's `SignalRelay` (an ignored disposition does not
      // discard a blocked signal), which would end the process: here they only raise a
      // cancellation nobody reads. Only the end of the procedure's pipe ends the watchdog.
      Main.signals?.cancelOnSignal { _ in }
      for number in [SIGINT, SIGHUP, SIGQUIT] { signal(number, SIG_IGN) }
      let parsed = try JSONDecoder().decode(
        Watchdog.Configuration.self, from: Data(configuration.utf8))
      let started = Watchdog.serve(
        parsed, input: FileDescriptor.standardInput, runner: ToolEnvironment(verbose: false).runner
      ) { Console.err(Terminal.safe($0) + "\n") }
      throw ExitCode(started ? ExitStatus.consistent.rawValue : ExitStatus.error.rawValue)
    }
  }
}
