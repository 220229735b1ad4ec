import ArgumentParser
import Failover
import Foundation
import Processes
import Remote
import Verification

extension CyrusFailover {
  /// `repair`: moves exactly what differs (issue 12).
  struct Repair: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy to the failover exactly what a verification found different, then verify.",
      discussion: """
        Runs on the primary. The findings come from --report (a `verify --format json` report of \
        this pair by this version) or from a verification now. Message files and missing \
        directories are copied while the primary serves; what Cyrus rewrites in place \
        (mailboxes.db, seen and subscription databases, quota, cyrus.index/header/cache) inside \
        a short stop of the primary, guarded as sync's; what the failover has alone is deleted \
        there, each path named. Then verify again, at most --rounds times, stopping when a \
        round does not shrink what differs. Without --execute the first round's plan is \
        printed and nothing is changed. With --sign-off DIR (and --execute) the run ends in a \
        sign-off of its last verification (signoff.json, signoff.html, both sides' manifests \
        saved at the end) that `promote` starts the failover on. Exit status: 0 consistent at \
        the end, 1 differences left, 2 refused or failed (or the sign-off could not be written).
        """)

    @OptionGroup var pair: ProcedurePairOptions

    @Option(help: ArgumentHelp("A saved `verify --format json` report.", valueName: "file"))
    var report: String?

    @Option(help: "Rounds of copy and verify at most.")
    var rounds = 3

    @OptionGroup var options: ProcedureOptions

    @OptionGroup(title: "Sign-off") var signOff: SignOffOptions

    func validate() throws {
      guard (1...20).contains(rounds) else { throw ValidationError("--rounds is 1 to 20") }
      if signOff.signOff != nil && !options.execute {
        throw ValidationError("--sign-off records what a run did: give --execute too")
      }
    }

    func run() throws {
      let environment = ToolEnvironment(verbose: options.ssh.verbose)
      let request = try pair.request(options, environment: environment)
      let procedure = try RepairProcedure(request, stamp: ProcedureOptions.stamp())
      let findings = try procedure.initialFindings(report.map { .report($0) } ?? .live)
      guard options.execute else {
        let (plan, set) = try procedure.plan(for: findings, round: 1)
        options.printRepairPlan(plan, set: set)
        Console.exit(
          (plan.refusals.isEmpty ? ExitStatus.consistent : ExitStatus.error).rawValue)
      }
      Main.signals?.cancelOnSignal { number in
        Console.err(
          "cyrus-failover: signal \(number): ending the repair (a stopped primary is started again)\n"
        )
      }
      let log = try ProcedureLog(path: options.log) { Console.err("cyrus-failover: \($0)\n") }
      let (reports, remaining) = procedure.execute(
        from: findings, rounds: rounds, log: log,
        cancellation: Main.signals?.cancellation ?? Cancellation())
      options.printRepair(reports: reports, remaining: remaining)
      if let writer = signOff.writer(environment, ssh: request.ssh),
        reports.first?.outcome != .refused
      {
        SignOffOptions.writeOrExit { try procedure.signOff(reports, writer: writer) }
      }
      Console.exit(options.repairStatus(reports, remaining).rawValue)
    }
  }
}

extension ProcedureOptions {
  /// The first round's plan, with the paths it moves.
  func printRepairPlan(_ plan: Plan, set: RepairSet) {
    switch format {
    case .text:
      var text = plan.text
      for (kind, lists) in [
        ("copied while the primary serves", set.liveFiles),
        ("copied whole while the primary serves", set.liveDirectories),
        ("copied while the primary is stopped", set.windowFiles),
        ("deleted on the failover", set.deletions),
      ] {
        for (area, paths) in lists.sorted(by: { $0.key < $1.key }) {
          text += "\n\(kind), \(area):\n"
          for path in paths { text += "  \(path)\n" }
        }
      }
      if !set.left.isEmpty {
        text += "\nleft as they are:\n" + set.left.map { "  \($0)\n" }.joined()
      }
      Console.out(Terminal.safe(text, keepNewlines: true))
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      if let data = try? encoder.encode(RepairDocument(plan: plan, set: set)) {
        _ = try? Console.write(1, bytes: Array(data) + [0x0A])
      }
    }
  }

  /// A repair's exit status: 2 when a round failed, 1 when differences (not lag) at or above
  /// `--fail-on` remain, 0 otherwise.
  func repairStatus(_ reports: [ProcedureReport], _ remaining: [Finding]) -> ExitStatus {
    if reports.contains(where: { $0.outcome != .completed }) { return .error }
    let differs = remaining.contains { $0.severity >= failOn.severity && $0.change != .lag }
    return differs ? .differences : .consistent
  }

  /// Each round's report, and what still differs.
  func printRepair(reports: [ProcedureReport], remaining: [Finding]) {
    switch format {
    case .text:
      for (number, report) in reports.enumerated() {
        Console.out("round \(number + 1): " + report.text + "\n")
      }
      let left = remaining.filter { $0.severity > .info && $0.change != .lag }
      Console.out(
        left.isEmpty
          ? "nothing left that differs\n"
          : "left:\n" + left.prefix(100).map { "  " + FindingText.line($0) + "\n" }.joined())
    case .json:
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
      if let data = try? encoder.encode(RepairResultDocument(rounds: reports, remaining: remaining))
      {
        _ = try? Console.write(1, bytes: Array(data) + [0x0A])
      }
    }
  }
}

/// The JSON of a repair's plan.
struct RepairDocument: Encodable {
  var schema = "cyrus-failover.repair-plan"
  var version = 1
  var plan: Plan
  var set: RepairSet
}

/// The JSON of a carried-out repair.
struct RepairResultDocument: Encodable {
  var schema = "cyrus-failover.repair"
  var version = 1
  var rounds: [ProcedureReport]
  var remaining: [Finding]
}
