import Foundation
import Processes
import Verification

extension ProcedureReport {
  /// The summary a person reads at the end: the outcome, each step's duration, bytes moved per
  /// pass, the window, and the verdict.
  public var text: String {
    var out = "cyrus-failover \(procedure): "
    switch outcome {
    case .completed: out += "COMPLETED"
    case .refused: out += "REFUSED"
    case .failed: out += "FAILED"
    case .sourceNotStarted: out += "FAILED, AND THE SOURCE'S CYRUS IS NOT RUNNING"
    }
    if let verdict { out += " (verify: \(verdict.rawValue))" }
    out += "\n"
    if let failedStep { out += "failed step: \(failedStep)\n" }
    if let failure { out += "why: \(failure)\n" }
    if outcome == .sourceNotStarted, let startCommand {
      out += "START IT NOW: \(startCommand.map(Invocation.displayWord).joined(separator: " "))\n"
    }
    if !steps.isEmpty { out += "\nsteps:\n" }
    for step in steps {
      out += "  \(step.outcome.padding(toLength: 12, withPad: " ", startingAt: 0))"
      out += " \(String(format: "%8.2f", step.seconds)) s  \(step.id)"
      if let status = step.status { out += " (\(status))" }
      if let note = step.note { out += ": \(note)" }
      out += "\n"
    }
    for pass in passes.keys.sorted() {
      guard let stats = passes[pass] else { continue }
      out +=
        "\(pass): \(stats.transferredFiles) files, \(stats.transferredBytes) bytes transferred, "
        + "\(stats.bytesSent) bytes sent, \(stats.deletedFiles) deleted\n"
    }
    if let window {
      if let seconds = window.seconds {
        out +=
          "stopped window: \(String(format: "%.2f", seconds)) s (stop issued → start confirmed)\n"
      } else {
        out += "stopped window: open (the start was not confirmed)\n"
      }
    }
    if let findings {
      out +=
        "findings: "
        + findings.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        .joined(separator: ", ") + "\n"
    }
    return Terminal.safe(out, keepNewlines: true)
  }
}
