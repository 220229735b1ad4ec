import Foundation
import Processes
import TestSupport
import Testing

@testable import Failover

/// The runner's guard of the stopped window, with real programs: a "service" that is a state
/// file (`running` or `stopped`), a step that fails inside the window, and what follows.
@Suite struct PlanRunnerTests {
  /// The service and a plan around one step in the window.
  struct Fixture {
    let work: TemporaryDirectory
    let state: String
    let service: ServiceCommands

    init() throws {
      work = try TemporaryDirectory(prefix: "plan-runner")
      state = work.path + "/service"
      try Data("running\n".utf8).write(to: URL(fileURLWithPath: state))
      service = ServiceCommands(
        stop: ["/bin/sh", "-c", "echo stopped > '\(state)'"],
        start: ["/bin/sh", "-c", "echo running > '\(state)'"],
        status: ["/bin/grep", "-q", "running", state])
    }

    var serviceState: String {
      (try? String(contentsOfFile: state, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
    }

    func side(_ role: String) -> Plan.Side {
      Plan.Side(
        role: role, place: .local, configFile: work.path + "/\(role)/etc/imapd.conf", root: nil,
        areas: [:], cyrusVersion: nil, cyrusFamily: nil, dataFamily: nil,
        stop: role == "primary" ? service.stop : nil,
        start: role == "primary" ? service.start : nil,
        status: role == "primary" ? service.status : nil)
    }

    /// stop → `middle` → start, the window between the first and the last.
    func plan(_ middle: Step) -> Plan {
      let steps = [
        Step(
          "window.stop", phase: .window, title: "stop", host: "primary", place: .local,
          argv: service.stop, changes: true, onFailure: "start again"),
        middle,
        Step(
          "window.start", phase: .window, title: "start", host: "primary", place: .local,
          argv: service.start, changes: true, onFailure: "report"),
      ]
      return Plan(
        procedure: "sync", source: side("primary"), destination: side("failover"),
        versionMismatch: true, checks: [], steps: steps, windowStart: "window.stop",
        windowEnd: "window.start")
    }

    func run(_ plan: Plan) throws -> (ProcedureReport, [String]) {
      let lines = LineCollector()
      let log = try ProcedureLog(path: work.path + "/log.jsonl") { lines.append($0) }
      let runner = PlanRunner(
        plan: plan,
        hosts: [CommandHost(place: .local, ssh: nil, environment: ["PATH": "/usr/bin:/bin"])],
        runner: TestPrograms.runner, log: log, cancellation: Cancellation(), watchdog: nil,
        sourceService: service, startTimeout: 30)
      return (runner.run(actions: NoActions()), lines.lines)
    }
  }

  final class NoActions: StepActions {
    func perform(_ step: Step, cancellation: Cancellation) throws -> String? { nil }
  }

  final class LineCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ line: String) { lock.withLock { stored.append(line) } }
    var lines: [String] { lock.withLock { stored } }
  }

  /// 3.6's `ctl_mboxlist -u` exits 0 when it rejects lines and says so on standard error only:
  /// such a step fails on its error output, and the stopped source is started again.
  @Test func errorOutputFailsAStepThatExitsZeroAndTheSourceIsStartedAgain() throws {
    let fixture = try Fixture()
    let load = Step(
      "import.load", phase: .window, title: "import", host: "failover", place: .local,
      argv: ["/bin/sh", "-c", "echo 'missing uniqueid for user.bob' >&2; exit 0"], changes: true,
      onFailure: "stop", failsOnErrorOutput: true)
    let (report, lines) = try fixture.run(fixture.plan(load))
    #expect(report.outcome == .failed)
    #expect(report.failedStep == "import.load")
    #expect(report.failure?.contains("missing uniqueid for user.bob") == true, "\(report)")
    #expect(fixture.serviceState == "running", "the source is started again")
    #expect(report.window?.startConfirmed != nil)
    #expect(lines.contains { $0.contains("runs again") }, "\(lines)")
  }

  /// The same output from a step not marked so is only logged: the run completes.
  @Test func errorOutputOfAnOrdinaryStepIsNotAFailure() throws {
    let fixture = try Fixture()
    let chatty = Step(
      "window.dump", phase: .window, title: "chatty", host: "primary", place: .local,
      argv: ["/bin/sh", "-c", "echo 'a warning' >&2; exit 0"], changes: false, onFailure: "stop")
    let (report, _) = try fixture.run(fixture.plan(chatty))
    #expect(report.outcome == .completed, "\(report)")
    #expect(fixture.serviceState == "running")
  }

  /// A start that fails each time leaves the report saying so, with the command to run.
  @Test func aSourceThatCannotBeStartedIsReportedWithItsCommand() throws {
    let fixture = try Fixture()
    let broken = ServiceCommands(
      stop: fixture.service.stop, start: ["/bin/false"], status: fixture.service.status)
    let failing = Step(
      "pass2.config", phase: .window, title: "copy", host: "primary", place: .local,
      argv: ["/bin/false"], changes: true, onFailure: "start again")
    let lines = LineCollector()
    let log = try ProcedureLog(path: nil) { lines.append($0) }
    let runner = PlanRunner(
      plan: fixture.plan(failing),
      hosts: [CommandHost(place: .local, ssh: nil, environment: ["PATH": "/usr/bin:/bin"])],
      runner: TestPrograms.runner, log: log, cancellation: Cancellation(), watchdog: nil,
      sourceService: broken, startTimeout: 1)
    let report = runner.run(actions: NoActions())
    #expect(report.outcome == .sourceNotStarted)
    #expect(report.startCommand == ["/bin/false"])
    #expect(report.exitStatus.rawValue == 2)
    #expect(
      lines.lines.contains { $0.contains("IS NOT RUNNING AND COULD NOT BE STARTED") },
      "\(lines.lines)")
  }
}
