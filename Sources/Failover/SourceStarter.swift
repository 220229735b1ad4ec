import Foundation
import Processes

/// Starts a Cyrus and confirms it runs: the start command, then the status command until it
/// says so; tried `attempts` times. Used by the window's end, by the recovery after a failure
/// in the window, and by the watchdog.
struct SourceStarter {
  var start: [String]
  var status: [String]
  var host: CommandHost
  var timeout: Int
  var attempts: Int
  var runner: ProcessRunner

  /// Whether the status command says Cyrus runs (exit 0).
  func isRunning() -> Bool {
    guard let invocation = try? host.invocation(status, standardOutput: .discard),
      let outcome = try? runner.run(invocation, timeLimit: .seconds(30))
    else { return false }
    return outcome.succeeded
  }

  /// Waits until the status command says it runs, at most `seconds`.
  func waitRunning(seconds: Int? = nil) -> Bool {
    let deadline = ContinuousClock.now + .seconds(seconds ?? timeout)
    while ContinuousClock.now < deadline {
      if isRunning() { return true }
      Thread.sleep(forTimeInterval: 0.5)
    }
    return isRunning()
  }

  /// Runs the start command and waits for Cyrus, up to `attempts` times, 2 s apart.
  func startAndConfirm(say: (String) -> Void) -> Bool {
    for attempt in 1...max(1, attempts) {
      if isRunning() { return true }
      var started = false
      do {
        let outcome = try runner.run(
          try host.invocation(start), timeLimit: .seconds(max(timeout, 1)))
        started = outcome.succeeded
        if !started {
          say(
            "start attempt \(attempt): `\(start.joined(separator: " "))` ended with \(outcome.summary)"
              + (outcome.errorText.isEmpty ? "" : ": " + outcome.shownError(limit: 300)))
        }
      } catch {
        say("start attempt \(attempt): \(error)")
      }
      // A start that failed gets a short look (it may have started anyway), then another try.
      if waitRunning(seconds: started ? timeout : 3) { return true }
      Thread.sleep(forTimeInterval: 2)
    }
    return false
  }
}
