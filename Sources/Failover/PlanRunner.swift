import Foundation
import Processes

/// Carries out a ``Plan`` step by step, through the one process runner, keeping the source's
/// stopped window guarded: whatever fails between the stop and the confirmed start — a step,
/// an SSH connection, a signal (which raises `cancellation`) — the source's Cyrus is started
/// again and its start confirmed before the run ends; if this process is killed outright, the
/// ``Watchdog`` does it. Every step and command goes to the ``ProcedureLog``.
public final class PlanRunner {
  let plan: Plan
  let hosts: [HostPlace: CommandHost]
  let runner: ProcessRunner
  let log: ProcedureLog
  let cancellation: Cancellation
  let watchdog: Watchdog?
  let recovery: SourceStarter?

  /// A runner for `plan`; `hosts` has a ``CommandHost`` for every place of its steps,
  /// `recovery` starts the source after a failure in the window.
  public init(
    plan: Plan, hosts: [CommandHost], runner: ProcessRunner, log: ProcedureLog,
    cancellation: Cancellation, watchdog: Watchdog?, sourceService: ServiceCommands?,
    startTimeout: Int
  ) {
    let byPlace = Dictionary(hosts.map { ($0.place, $0) }, uniquingKeysWith: { first, _ in first })
    self.plan = plan
    self.hosts = byPlace
    self.runner = runner
    self.log = log
    self.cancellation = cancellation
    self.watchdog = watchdog
    self.recovery = sourceService.flatMap { service in
      byPlace[.local].map {
        SourceStarter(
          start: service.start, status: service.status, host: $0, timeout: startTimeout,
          attempts: 3, runner: runner)
      }
    }
  }

  /// Runs every step; never throws: a failure ends in the report.
  public func run(actions: StepActions) -> ProcedureReport {
    var report = ProcedureReport(procedure: plan.procedure)
    var windowOpen = false
    var manifest: BackgroundStep?
    for step in plan.steps {
      if step.id == plan.windowStart {
        watchdog?.windowOpened()
        windowOpen = true
        report.window = .init(stopIssued: SystemTime.now())
      }
      // The manifest is saved alongside the last pass; it must be complete before the start.
      if let running = manifest, step.action != .run || step.area == nil {
        manifest = nil
        if let failure = running.join() {
          return fail(&report, running.step, failure, windowOpen: windowOpen)
        }
        let record = running.record
        log.record(
          .init(
            event: "step-end", step: record.id, seconds: record.seconds, message: record.note),
          line: "✓ \(record.id) (\(String(format: "%.2f", record.seconds)) s)"
            + (record.note.map { ": \($0)" } ?? ""))
        report.steps.append(record)
      }
      if cancellation.isCancelled {
        let ended = fail(
          &report, step, ProcedureError(.stepFailed, "cancelled by a signal", step: step.id),
          windowOpen: windowOpen)
        return settle(manifest, after: ended)
      }
      if step.action == .saveManifest {
        manifest = BackgroundStep(step: step, actions: actions, cancellation: cancellation)
        log.record(.init(event: "step-start", step: step.id), line: "→ \(step.id): \(step.title)")
        continue
      }
      do {
        report.steps.append(try execute(step, actions: actions, report: &report))
      } catch {
        let failure =
          (error as? ProcedureError) ?? ProcedureError(.stepFailed, "\(error)", step: step.id)
        return settle(manifest, after: fail(&report, step, failure, windowOpen: windowOpen))
      }
      if windowOpen, step.action == .waitRunning {
        windowOpen = false
        report.window?.startConfirmed = SystemTime.now()
        watchdog?.windowClosed()
      }
    }
    return report
  }

  /// A failed run still waits for the manifest saved in the background (after the source is
  /// started again), so that nothing writes to the state directory once the report is out.
  private func settle(_ manifest: BackgroundStep?, after report: ProcedureReport)
    -> ProcedureReport
  {
    guard let manifest else { return report }
    if let failure = manifest.join() {
      log.note("the manifest saved alongside did not complete either: \(failure.message)")
    }
    return report
  }

  /// Ends the run with a failure: inside the window the source is started first.
  private func fail(
    _ report: inout ProcedureReport, _ step: Step, _ failure: ProcedureError, windowOpen: Bool
  ) -> ProcedureReport {
    report.outcome = .failed
    report.failedStep = step.id
    report.failure = failure.message
    log.record(
      .init(event: "step-failed", step: step.id, message: failure.message),
      line: "✗ \(step.id) failed: \(failure.message)")
    guard windowOpen, let recovery else { return report }
    log.note("starting the \(plan.source.role)'s Cyrus again", step: step.id)
    if recovery.startAndConfirm(say: { log.note($0) }) {
      report.window?.startConfirmed = SystemTime.now()
      watchdog?.windowClosed()
      log.note("the \(plan.source.role)'s Cyrus runs again")
    } else {
      report.outcome = .sourceNotStarted
      report.startCommand = recovery.start
      log.note(
        "THE \(plan.source.role.uppercased())'S CYRUS IS NOT RUNNING AND COULD NOT BE STARTED: run "
          + recovery.start.map(Invocation.displayWord).joined(separator: " "))
    }
    return report
  }

  /// One step.
  private func execute(_ step: Step, actions: StepActions, report: inout ProcedureReport) throws
    -> ProcedureReport.StepRecord
  {
    let started = SystemTime.now()
    log.record(
      .init(event: "step-start", step: step.id, host: step.place.description, argv: step.argv),
      line: "→ \(step.id): \(step.title)")
    var record = ProcedureReport.StepRecord(
      id: step.id, title: step.title, host: step.host, argv: step.argv, started: started,
      ended: started, outcome: "ok")
    if step.action == .run {
      let (status, note, stats, output) = try runCommand(step)
      record.status = status
      if step.argv?.contains("--itemize-changes") == true {
        record.transferred = Rsync.transferredPaths(output)
      }
      record.note = note
      record.rsync = stats
      if note != nil { record.outcome = "ok-with-note" }
      if let stats {
        // Summed per pass (`pass1`, `pass2`), or per kind of step (`repair`).
        let pass = step.id.split(separator: ".").first.map(String.init) ?? step.id
        var sum = report.passes[pass] ?? Rsync.Statistics()
        sum.add(stats)
        report.passes[pass] = sum
      }
    } else {
      record.note = try actions.perform(step, cancellation: cancellation)
    }
    record.ended = SystemTime.now()
    log.record(
      .init(
        event: "step-end", step: step.id, status: record.status, seconds: record.seconds,
        rsync: record.rsync, message: record.note),
      line: "✓ \(step.id) (\(String(format: "%.2f", record.seconds)) s)"
        + (record.note.map { ": \($0)" } ?? ""))
    return record
  }

  /// Runs a step's program; its exit status must be accepted or tolerated.
  private func runCommand(_ step: Step) throws -> (String, String?, Rsync.Statistics?, String) {
    guard let argv = step.argv, let host = hosts[step.place] else {
      preconditionFailure("a run step has an argv and a host the runner knows")
    }
    let invocation = try host.invocation(
      argv, standardInput: step.input.map { .file($0) } ?? .null,
      standardOutput: .capture(limit: 1 << 20), standardError: .captureTail(limit: 64 << 10))
    log.record(
      .init(event: "command", step: step.id, host: step.place.description, argv: invocation.argv),
      line: "  $ [\(step.place)] \(argv.map(Invocation.displayWord).joined(separator: " "))")
    let outcome = try watched(invocation, timeLimit: step.timeLimit.map { .seconds($0) })
    let stats = step.area != nil ? Rsync.statistics(outcome.outputText) : nil
    let errorText = outcome.errorText.trimmingCharacters(in: .whitespacesAndNewlines)
    log.record(
      .init(
        event: "command-end", step: step.id, host: step.place.description,
        status: outcome.summary, seconds: outcome.endedAt - outcome.startedAt, rsync: stats,
        message: errorText.isEmpty ? nil : String(errorText.suffix(2000))),
      line: "  [\(outcome.summary)]")
    let said = errorText.isEmpty ? "" : ": " + outcome.shownError()
    guard !outcome.timedOut, !outcome.cancelled else {
      throw ProcedureError(
        .stepFailed,
        outcome.cancelled
          ? "cancelled by a signal (\(outcome.summary))"
          : "ran past its time limit of \(step.timeLimit ?? 0) s\(said)", step: step.id)
    }
    guard case .exited(let status) = outcome.termination else {
      throw ProcedureError(
        .stepFailed, "\(argv[0]) was \(outcome.termination)\(said)", step: step.id)
    }
    if step.failsOnErrorOutput, !errorText.isEmpty {
      throw ProcedureError(
        .stepFailed, "\(argv[0]) wrote errors (it may exit 0 anyway)\(said)", step: step.id)
    }
    if step.accepted.contains(status) { return (outcome.summary, nil, stats, outcome.outputText) }
    if step.tolerated.contains(status) {
      return (
        outcome.summary,
        status == Rsync.vanishedFiles
          ? "some files vanished during the copy (normal while Cyrus serves)" : "tolerated",
        stats, outcome.outputText
      )
    }
    throw ProcedureError(
      .stepFailed, "\(argv[0]) ended with \(outcome.summary)\(said)", step: step.id)
  }

  /// Runs a program, telling the watchdog its process group, ending it on a cancel or at its
  /// time limit.
  func watched(_ invocation: Invocation, timeLimit: Duration?) throws -> ProcessOutcome {
    let child = try runner.start(invocation)
    watchdog?.childStarted(child.pid)
    defer { watchdog?.childEnded(child.pid) }
    let deadline = timeLimit.map { ContinuousClock.now + $0 }
    while true {
      let slice = ContinuousClock.now + .milliseconds(100)
      if child.wait(until: deadline.map { min($0, slice) } ?? slice) != nil {
        return child.finish()
      }
      if cancellation.isCancelled {
        child.terminate(grace: runner.terminationGrace)
        return child.finish(cancelled: true)
      }
      if let deadline, ContinuousClock.now >= deadline {
        child.terminate(grace: runner.terminationGrace)
        return child.finish(timedOut: true)
      }
    }
  }
}

/// A step done on a thread of its own while the next steps run (the manifest beside pass 2).
final class BackgroundStep: @unchecked Sendable {
  let step: Step
  private let thread: Thread
  private let done = NSCondition()
  private var finished = false
  private var failure: ProcedureError?
  private(set) var record: ProcedureReport.StepRecord

  init(step: Step, actions: StepActions, cancellation: Cancellation) {
    self.step = step
    let started = SystemTime.now()
    record = .init(
      id: step.id, title: step.title, host: step.host, argv: nil, started: started,
      ended: started, outcome: "ok")
    nonisolated(unsafe) let actions = actions
    let box = Box()
    thread = Thread { box.body?() }
    box.body = { [self] in
      var failure: ProcedureError?
      var note: String?
      do {
        note = try actions.perform(step, cancellation: cancellation)
      } catch {
        failure =
          (error as? ProcedureError) ?? ProcedureError(.stepFailed, "\(error)", step: step.id)
      }
      done.lock()
      self.failure = failure
      self.record.note = note
      self.record.ended = SystemTime.now()
      self.record.outcome = failure == nil ? "ok" : "failed"
      finished = true
      done.broadcast()
      done.unlock()
    }
    thread.start()
  }

  /// The body the thread runs, set once the object is whole.
  final class Box: @unchecked Sendable {
    var body: (() -> Void)?
  }

  /// Waits for it; its failure, if it failed.
  func join() -> ProcedureError? {
    done.lock()
    defer { done.unlock() }
    while !finished { done.wait() }
    return failure
  }
}
