import Foundation
import Processes

extension Promotion {
  /// How a promotion ended.
  public enum Outcome: String, Sendable {
    /// Cyrus was started and its status command says it runs.
    case started
    /// It would be started (no `--execute`).
    case wouldStart = "would-start"
    /// A check refused and nothing was started.
    case refused
    /// The start command failed, or Cyrus did not come up in time.
    case failed
  }

  /// Records the decision in `log` (standard error and the JSON lines file), whether or not it
  /// is carried out: every check passed, or the refusal with each failed check, or the
  /// override of that refusal by `--force`. The checks themselves are the command's output.
  public func record(_ log: ProcedureLog) {
    guard !refusals.isEmpty else {
      log.record(
        .init(event: "promote-checked", message: "all \(checks.count) checks passed"),
        line: "all \(checks.count) checks passed")
      return
    }
    let reasons = refusals.map { "\($0.name): \($0.detail)" }.joined(separator: "; ")
    let names = refusals.map(\.name).joined(separator: ", ")
    if request.force && service != nil {
      log.record(
        .init(event: "promote-override", message: "--force: starting despite: \(reasons)"),
        line: "OVERRIDE (--force): the failover's Cyrus is started although "
          + "\(refusals.count) check\(refusals.count == 1 ? "" : "s") refused: \(names)")
    } else {
      log.record(
        .init(event: "promote-refused", message: reasons),
        line: "REFUSED: the failover's Cyrus is not started (\(names))"
          + (service == nil ? "" : "; --force starts it anyway"))
    }
  }

  /// Starts the failover's Cyrus and waits until its status command says it runs, when
  /// ``willStart``; with `execute` false only says what it would run. Call ``record(_:)``
  /// first.
  public func execute(log: ProcedureLog, execute: Bool) -> Outcome {
    guard willStart, let service else { return .refused }
    let words = service.start.map(Invocation.displayWord).joined(separator: " ")
    guard execute else {
      log.record(
        .init(event: "promote-plan", host: host.place.description, argv: service.start),
        line: "would run on \(host.place): \(words) (give --execute to start it)")
      return .wouldStart
    }
    let invocation: Invocation
    do {
      invocation = try host.invocation(service.start)
    } catch {
      log.record(.init(event: "promote-failed", message: "\(error)"), line: "✗ \(error)")
      return .failed
    }
    log.record(
      .init(event: "command", host: host.place.description, argv: invocation.argv),
      line: "  $ [\(host.place)] \(words)")
    let outcome: ProcessOutcome
    do {
      outcome = try request.runner.run(
        invocation, timeLimit: .seconds(max(request.startTimeout, 1)))
    } catch {
      log.record(.init(event: "promote-failed", message: "\(error)"), line: "✗ \(error)")
      return .failed
    }
    let said = outcome.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
    log.record(
      .init(
        event: "command-end", host: host.place.description, status: outcome.summary,
        seconds: outcome.endedAt - outcome.startedAt,
        message: said.isEmpty ? nil : String(said.suffix(2000))),
      line: "  [\(outcome.summary)]")
    guard outcome.succeeded else {
      log.record(
        .init(event: "promote-failed", message: "the start command ended with \(outcome.summary)"),
        line: "✗ `\(words)` ended with \(outcome.summary)"
          + (said.isEmpty ? "" : ": " + outcome.shownError()))
      return .failed
    }
    let starter = SourceStarter(
      start: service.start, status: service.status, host: host, timeout: request.startTimeout,
      attempts: 1, runner: request.runner)
    guard starter.waitRunning() else {
      let status = service.status.joined(separator: " ")
      log.record(
        .init(
          event: "promote-failed",
          message: "`\(status)` did not say it runs within \(request.startTimeout) s"),
        line: "✗ `\(status)` did not say it runs within \(request.startTimeout) s")
      return .failed
    }
    log.record(
      .init(event: "promote-started", host: host.place.description),
      line: "✓ the failover's Cyrus runs on \(host.place)")
    return .started
  }
}
