import CyrusStore
import Foundation
import Processes
import Remote
import Verification

/// `repair`: moves exactly what differs from the primary to the failover, in rounds — the
/// findings (a saved JSON report, or a live verification), the ``RepairSet`` they call for, its
/// plan carried out by ``PlanRunner`` (the same stopped-window guard as `sync`), a full
/// verification — until nothing differs, or a round no longer shrinks what does.
public final class RepairProcedure: StepActions {
  /// Where the findings of the first round come from.
  public enum FindingsSource: Sendable {
    /// A JSON report written by `verify --format json` of this pair and this tool version.
    case report(String)
    /// A verification now.
    case live
  }

  public let request: ProcedureRequest
  public let source: ProcedureSide
  public let destination: ProcedureSide
  let localHost: CommandHost
  let destinationHost: CommandHost
  let stamp: String
  /// The round being carried out: its set and settings.
  private var set = RepairSet()
  private var settings: PlanSettings
  /// The findings of the last verification (every one), and its result.
  public private(set) var findings: [Finding] = []
  public private(set) var verification: VerifyResult?

  /// Inspects both sides (reading only).
  public init(_ request: ProcedureRequest, stamp: String) throws {
    self.request = request
    self.stamp = stamp
    (source, destination) = try SyncProcedure.inspect(request)
    localHost = CommandHost(place: .local, ssh: nil, environment: request.environment)
    destinationHost = CommandHost(
      place: destination.place, ssh: request.ssh, environment: request.environment)
    settings = PlanSettings(
      kind: .sync, stateDirectory: request.stateDirectory, stamp: stamp,
      stopTimeout: request.stopTimeout, startTimeout: request.startTimeout,
      remoteCommand: request.remoteCommand, ssh: request.ssh)
  }

  /// Where mailboxes.db is in the primary's config area.
  var mailboxesDB: EntryPath? {
    guard let instance = source.instance else { return nil }
    return MailboxFileMeaning.place(
      of: instance.mailboxesDBPath, in: instance.areas.map { ($0.name, $0.path) }
    ).map(\.path)
  }

  /// The first round's findings.
  public func initialFindings(_ from: FindingsSource) throws -> [Finding] {
    switch from {
    case .live:
      return try verifyAll()
    case .report(let path):
      return try Self.read(report: path, source: source, destination: destination, request: request)
    }
  }

  /// The plan of a round for `findings` (what `repair` without `--execute` prints).
  public func plan(for findings: [Finding], round: Int) throws -> (Plan, RepairSet) {
    settings.stamp = "\(stamp)-\(round)"
    set = try RepairSet.from(findings, mailboxesDB: mailboxesDB)
    return (
      RepairPlanner.plan(set, source: source, destination: destination, settings: settings), set
    )
  }

  /// Carries out rounds until nothing differs, at most `rounds`, or until a round leaves as
  /// many differences as it found.
  public func execute(
    from findings: [Finding], rounds: Int, log: ProcedureLog, cancellation: Cancellation
  ) -> (reports: [ProcedureReport], remaining: [Finding]) {
    var reports: [ProcedureReport] = []
    var current = findings
    for round in 1...max(1, rounds) {
      let failing = current.filter { $0.severity >= request.policy.failOn && $0.change != .lag }
      guard !failing.isEmpty else { break }
      let plan: Plan
      do {
        (plan, _) = try self.plan(for: current, round: round)
      } catch {
        var report = ProcedureReport(procedure: "repair")
        report.outcome = .refused
        report.failure = "\(error)"
        reports.append(report)
        break
      }
      log.note(
        "round \(round): \(set.count) paths to copy, \(set.deletions.values.reduce(0) { $0 + $1.count }) to delete"
      )
      var report = ProcedureReport(procedure: "repair")
      if let refusal = plan.refusals.first {
        report.outcome = .refused
        report.failure = "\(refusal.name): \(refusal.detail)"
        reports.append(report)
        break
      }
      let held: ProcedureGuard
      do {
        held = try ProcedureGuard(for: plan, request: request, source: source)
      } catch {
        report.outcome = .refused
        report.failure = (error as? ProcedureError)?.message ?? "\(error)"
        reports.append(report)
        break
      }
      verification = nil
      let runner = PlanRunner(
        plan: plan, hosts: [localHost, destinationHost], runner: request.runner, log: log,
        cancellation: cancellation, watchdog: held.watchdog, sourceService: source.service,
        startTimeout: request.startTimeout)
      report = runner.run(actions: self)
      held.release()
      if let verification { report.record(verification) }
      reports.append(report)
      guard report.outcome == .completed else { break }
      let before = failing.count
      current = self.findings
      let after = current.filter { $0.severity >= request.policy.failOn }.count
      if after >= before {
        log.note("round \(round) left \(after) differences of \(before): stopping")
        break
      }
    }
    return (reports, current)
  }

  public func perform(_ step: Step, cancellation: Cancellation) throws -> String? {
    switch step.action {
    case .writeLists:
      return try writeLists()
    case .waitStopped:
      return try SyncProcedure.waitStopped(
        step, source: source, host: localHost, request: request, cancellation: cancellation)
    case .waitRunning:
      return try SyncProcedure.waitRunning(step, side: source, host: localHost, request: request)
    case .verify:
      findings = try verifyAll()
      guard let verification else { return nil }
      return "\(verification.verdict.rawValue): \(verification.summary.count(.error)) errors, "
        + "\(verification.summary.count(.warning)) warnings"
    default:
      throw ProcedureError(
        .stepFailed, "a repair has no \(step.action.rawValue) step", step: step.id)
    }
  }

  /// Writes each list (paths NUL-separated, raw bytes) to the state directory.
  func writeLists() throws -> String? {
    var written = 0
    for (kind, lists) in [
      ("live", set.liveFiles), ("directories", set.liveDirectories), ("window", set.windowFiles),
    ] {
      for (area, paths) in lists {
        let bytes: [UInt8] = paths.flatMap { path -> [UInt8] in path.bytes + [0] }
        try AtomicFile.replace(
          RepairPlanner.listPath(settings, kind, area), with: bytes, mode: 0o600,
          stamp: settings.stamp)
        written += paths.count
      }
    }
    return "\(written) paths"
  }

  /// A full verification of the failover against the primary, keeping every finding.
  func verifyAll() throws -> [Finding] {
    let session = try VerifySession(
      primary: source.specification, failover: destination.specification,
      settings: VerifySettings(
        walk: WalkOptions(level: .full, berkeleyReader: request.berkeleyReader),
        ssh: request.ssh, toolVersion: request.toolVersion, runner: request.runner,
        policy: request.policy))
    let collector = ChangeClassifier.Collector()
    verification = try session.run(sink: collector)
    return collector.findings
  }
}
