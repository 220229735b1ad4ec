import ArgumentParser
import Failover
import Foundation
import Processes
import Remote
import Verification

/// Options every procedure (`sync`, `backup`, `restore`) shares.
struct ProcedureOptions: ParsableArguments {
  @Flag(help: "Carry the plan out. Without it the plan is printed and nothing is changed.")
  var execute = false

  @Option(help: "Plan and report format on standard output.")
  var format: ProcedureFormat = .text

  @Option(
    help: ArgumentHelp(
      "Where the saved manifest and the converted dump are kept (on this host).",
      valueName: "dir"))
  var stateDir = "/var/lib/cyrus-failover"

  @Option(help: ArgumentHelp("The lock that keeps to one procedure at a time.", valueName: "file"))
  var lock = "/run/lock/cyrus-failover.lock"

  @Option(help: ArgumentHelp("Also log every step and command as JSON lines.", valueName: "file"))
  var log: String?

  @Option(help: "Seconds Cyrus gets to stop.")
  var stopTimeout = 120

  @Option(help: "Seconds Cyrus gets to start.")
  var startTimeout = 120

  @Option(help: "Lowest severity of the final verification that makes the exit status 1.")
  var failOn: FailOnOption = .warning

  @OptionGroup var ssh: SSHOptions

  func validate() throws {
    guard stopTimeout > 0, startTimeout > 0 else {
      throw ValidationError("--stop-timeout and --start-timeout are positive")
    }
  }

  /// Splits a service command given as one string, like `--ssh`.
  static func words(_ text: String?, _ option: String) throws -> [String]? {
    guard let text else { return nil }
    do {
      return try ShellWords.split(text)
    } catch {
      throw ValidationError("--\(option): \(error)")
    }
  }

  /// A request with these options.
  func request(
    _ kind: ProcedureKind, source: SideSpecification, destination: SideSpecification,
    environment: ToolEnvironment
  ) throws -> ProcedureRequest {
    var request = ProcedureRequest(
      kind: kind, source: source, destination: destination,
      ssh: destination.isRemote ? try ssh.settings(environment) : nil,
      remoteCommand: ssh.remoteCommand, stateDirectory: stateDir, lockPath: lock,
      toolVersion: CyrusFailover.toolVersion, executable: "/proc/self/exe",
      environment: environment.variables, runner: environment.runner,
      berkeleyReader: environment.berkeleyReader)
    request.logPath = log
    request.stopTimeout = stopTimeout
    request.startTimeout = startTimeout
    request.policy = VerdictPolicy(failOn: failOn.severity)
    return request
  }

  /// Inspects, prints the plan, and with `--execute` carries it out and prints the report;
  /// with `repairRounds`, a copy that verifies with differences is repaired (`sync --repair`);
  /// with a sign-off writer, the run's sign-off (after the repair, if one ran) is written last.
  func run(
    _ request: ProcedureRequest, repairRounds: Int? = nil, signOff: SignOffWriter? = nil
  ) throws -> Never {
    let stamp = Self.stamp()
    let procedure = try SyncProcedure(request, stamp: stamp)
    guard execute else {
      print(plan: procedure.plan, report: nil, verification: nil)
      Console.exit(
        (procedure.plan.refusals.isEmpty ? ExitStatus.consistent : ExitStatus.error).rawValue)
    }
    Main.signals?.cancelOnSignal { number in
      Console.err(
        "cyrus-failover: signal \(number): ending the procedure (a stopped primary is started again)\n"
      )
    }
    let log = try ProcedureLog(path: log) { Console.err("cyrus-failover: \($0)\n") }
    if format == .text {
      Console.err(procedure.plan.text)
    }
    let cancellation = Main.signals?.cancellation ?? Cancellation()
    let report = procedure.execute(log: log, cancellation: cancellation)
    guard let repairRounds, report.outcome == .completed, report.verdict == .differences else {
      print(plan: procedure.plan, report: report, verification: procedure.verification)
      writeSignOff(signOff, procedure: procedure, report: report, verification: nil)
      Console.exit(report.exitStatus.rawValue)
    }
    // With a repair, the JSON is one document: the run, then the repair's rounds.
    if format == .text {
      print(plan: procedure.plan, report: report, verification: procedure.verification)
    }
    log.note("the copy differs: repairing what differs")
    let reports: [ProcedureReport]
    let remaining: [Finding]
    let repair: RepairProcedure
    do {
      repair = try RepairProcedure(request, stamp: Self.stamp())
      (reports, remaining) = repair.execute(
        from: procedure.verificationFindings, rounds: repairRounds, log: log,
        cancellation: cancellation)
    } catch {
      log.note("the repair could not begin: \(error)")
      var refused = ProcedureReport(procedure: "repair")
      refused.outcome = .failed
      refused.failure = "\(error)"
      finishRepair(procedure, report, [refused], procedure.verificationFindings, signOff, nil)
    }
    finishRepair(procedure, report, reports, remaining, signOff, repair.verification)
  }

  /// Prints a run followed by its repair, writes the sign-off and exits: 2 when a round failed,
  /// 1 when differences remain, 0 otherwise.
  private func finishRepair(
    _ procedure: SyncProcedure, _ report: ProcedureReport, _ reports: [ProcedureReport],
    _ remaining: [Finding], _ signOff: SignOffWriter?, _ verification: VerifyResult?
  ) -> Never {
    switch format {
    case .text:
      printRepair(reports: reports, remaining: remaining)
    case .json:
      print(
        plan: procedure.plan, report: report, verification: procedure.verification,
        repair: RepairResultDocument(rounds: reports, remaining: remaining))
    }
    writeSignOff(
      signOff, procedure: procedure, report: report.followed(by: reports),
      verification: verification)
    Console.exit(repairStatus(reports, remaining).rawValue)
  }

  /// Writes the sign-off of a run that was not refused, with `verification` in place of the
  /// procedure's own when a repair verified last; exits 2 when it cannot be written.
  private func writeSignOff(
    _ writer: SignOffWriter?, procedure: SyncProcedure, report: ProcedureReport,
    verification: VerifyResult?
  ) {
    guard let writer, report.outcome != .refused else { return }
    SignOffOptions.writeOrExit {
      try procedure.signOff(report, writer: writer, verification: verification)
    }
  }

  func print(
    plan: Plan, report: ProcedureReport?, verification: VerifyResult?,
    repair: RepairResultDocument? = nil
  ) {
    switch format {
    case .text:
      guard let report else {
        Console.out(plan.text)
        return
      }
      Console.out(report.text)
      if let verification, verification.summary.total > 0 {
        let output = StandardOutput()
        output.write("\n")
        TextReport.write(
          verification.summary, context: verification.context, verdict: verification.verdict,
          showInfo: false, to: output)
        output.flush()
      }
    case .json:
      let document = ProcedureDocument(
        plan: plan, report: report,
        findings: verification?.summary.groups.flatMap(\.findings), repair: repair)
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      if let data = try? encoder.encode(document) {
        _ = try? Console.write(1, bytes: Array(data) + [0x0A])
      }
    }
  }

  /// `20261204T153000Z`, for the names of what a run leaves behind.
  static func stamp() -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    return formatter.string(from: Date())
  }
}

/// The JSON a procedure prints: its plan, and after `--execute` its report and the
/// verification's findings (the first of each mailbox); after `sync --repair` that repaired,
/// the repair's rounds and what still differs.
struct ProcedureDocument: Encodable {
  var schema = "cyrus-failover.procedure"
  var version = 1
  var plan: Plan
  var report: ProcedureReport?
  var findings: [Finding]?
  var repair: RepairResultDocument?
}

/// Formats of a procedure's output.
enum ProcedureFormat: String, ExpressibleByArgument, CaseIterable {
  case text, json
}
