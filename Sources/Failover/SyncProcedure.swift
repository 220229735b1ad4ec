import CyrusFormats
import CyrusStore
import Foundation
import Glibc
import Processes
import Remote
import Verification

/// One run of `sync`, `backup` or `restore`: inspects both sides, makes the plan, and — when
/// asked to — carries it out and verifies the result. It is the ``StepActions`` of its plan:
/// the tool's own steps (waiting for Cyrus, the dump, the manifest, the import's conversion
/// and check, the verification) are done here.
public final class SyncProcedure: StepActions {
  /// What it was asked.
  public let request: ProcedureRequest
  /// The two sides as inspected.
  public let source: ProcedureSide
  public let destination: ProcedureSide
  /// The plan.
  public let plan: Plan
  let settings: PlanSettings
  let localHost: CommandHost
  let destinationHost: CommandHost
  /// The entries imported on a version mismatch (the converted dump's).
  var imported: [MailboxEntry]?
  /// The verification's result, once it ran, and every finding of it (what `--repair` mends).
  public internal(set) var verification: VerifyResult?
  public internal(set) var verificationFindings: [Finding] = []

  /// Inspects both sides (reading only) and makes the plan.
  public init(_ request: ProcedureRequest, stamp: String) throws {
    self.request = request
    (source, destination) = try Self.inspect(request)
    settings = PlanSettings(
      kind: request.kind, stateDirectory: request.stateDirectory, stamp: stamp,
      stopTimeout: request.stopTimeout, startTimeout: request.startTimeout,
      remoteCommand: request.remoteCommand, ssh: request.ssh,
      startDestination: request.startDestination)
    plan = SyncPlanner.plan(source: source, destination: destination, settings: settings)
    localHost = CommandHost(place: .local, ssh: nil, environment: request.environment)
    destinationHost = CommandHost(
      place: destination.place, ssh: request.ssh, environment: request.environment)
  }

  /// Carries the plan out. Refuses (changing nothing) when a check failed or another run holds
  /// the lock; otherwise every step runs, the source's window guarded.
  /// - Parameters:
  ///   - log: where every step and command is recorded.
  ///   - cancellation: raised by a signal; the run ends, starting the source if it stopped it.
  public func execute(log: ProcedureLog, cancellation: Cancellation) -> ProcedureReport {
    var report = ProcedureReport(procedure: plan.procedure)
    if let refusal = plan.refusals.first {
      report.outcome = .refused
      report.failure = "\(refusal.name): \(refusal.detail)"
      return report
    }
    let held: ProcedureGuard
    do {
      held = try ProcedureGuard(for: plan, request: request, source: source)
    } catch {
      report.outcome = .refused
      report.failure = (error as? ProcedureError)?.message ?? "\(error)"
      return report
    }
    defer { held.release() }
    let runner = PlanRunner(
      plan: plan, hosts: [localHost, destinationHost], runner: request.runner, log: log,
      cancellation: cancellation, watchdog: held.watchdog, sourceService: source.service,
      startTimeout: request.startTimeout)
    report = runner.run(actions: self)
    if let verification { report.record(verification) }
    return report
  }

  public func perform(_ step: Step, cancellation: Cancellation) throws -> String? {
    switch step.action {
    case .run:
      preconditionFailure("the runner runs programs itself")
    case .waitStopped:
      return try waitStopped(step, cancellation: cancellation)
    case .waitRunning:
      return try waitRunning(step)
    case .dumpMailboxList:
      return try writeDump(step)
    case .saveManifest:
      return try saveManifest(step)
    case .convertDump:
      return try convertDump(step)
    case .checkImport:
      return try checkImport(step)
    case .checkIndexes:
      return try checkIndexes(step)
    case .writeLists:
      preconditionFailure("a sync has no lists to write")
    case .verify:
      return try verify(step)
    }
  }
}
