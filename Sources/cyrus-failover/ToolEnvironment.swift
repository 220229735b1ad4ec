import Foundation
import Processes
import Remote

/// What a command takes from this process's surroundings — the environment variables, where
/// this executable is — turned into values for the library. Only the executable reads its
/// environment; the library gets these values and nothing else.
struct ToolEnvironment {
  /// This process's environment.
  let variables: [String: String]
  /// Starts every child process, and reports each to standard error at debug level when
  /// `--verbose` was given.
  let runner: ProcessRunner

  /// The environment of this process; `verbose` logs every child process started.
  init(verbose: Bool) {
    variables = ProcessInfo.processInfo.environment
    runner = ProcessRunner(log: verbose ? StandardErrorProcessLog() : nil)
  }

  /// Reads Berkeley DB files in a child (`read-berkeley-db`), which gets a minimal environment
  /// (and, in the tests only, the variable that makes it crash on purpose or report its
  /// sandbox).
  var berkeleyReader: BerkeleyChildReader {
    var environment = Invocation.minimalEnvironment
    if let test = variables[CyrusFailover.ReadBerkeleyDB.testEnvironment] {
      environment[CyrusFailover.ReadBerkeleyDB.testEnvironment] = test
    }
    return BerkeleyChildReader(environment: environment, runner: runner)
  }

  /// ssh's environment: this process's, which holds `HOME` (for `~/.ssh`), `SSH_AUTH_SOCK`
  /// and `PATH`; ssh is the user's own tool, run as the user would run it.
  var sshEnvironment: [String: String] { variables }
}

/// Child processes, at debug level on standard error.
struct StandardErrorProcessLog: ProcessLog {
  func started(_ invocation: Invocation, pid: Int32) {
    Console.err("cyrus-failover: debug: started [\(pid)] \(invocation)\n")
  }

  func ended(_ invocation: Invocation, pid: Int32, outcome: ProcessOutcome) {
    let seconds =
      Double(outcome.duration.components.seconds)
      + Double(outcome.duration.components.attoseconds) / 1e18
    Console.err(
      "cyrus-failover: debug: [\(pid)] \(outcome.summary) after \(String(format: "%.3f", seconds)) s\n"
    )
  }
}
