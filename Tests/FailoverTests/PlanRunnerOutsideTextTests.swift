import Foundation
import Testing

@testable import Failover

/// What a command writes on standard error (on another host, through ssh: outside text) reaches
/// the report, the log lines and the JSON log escaped, on the line it belongs to (issue 13).
extension PlanRunnerTests {
  static let complaint =
    "echo 'rsync: \u{1B}[31mred\u{1B}]0;owned\u{07}' >&2; echo 'forged: CONSISTENT' >&2; exit 1"

  @Test func aFailedStepsErrorOutputIsShownEscaped() throws {
    let fixture = try Fixture()
    let failing = Step(
      "pass1.config", phase: .window, title: "copy", host: "primary", place: .local,
      argv: ["/bin/sh", "-c", Self.complaint], changes: true, onFailure: "start again")
    let (report, lines) = try fixture.run(fixture.plan(failing))
    #expect(report.outcome == .failed)
    let failure = try #require(report.failure)
    #expect(failure.contains("rsync: \\x1b[31mred\\x1b]0;owned\\x07 / forged: CONSISTENT"))
    let log = try String(contentsOfFile: fixture.work.path + "/log.jsonl", encoding: .utf8)
    for text in [failure, report.text, lines.joined(separator: "\n"), log] {
      #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" }, "\(text)")
      #expect(!text.split(separator: "\n").contains { $0.hasPrefix("forged") }, "\(text)")
    }
  }
}
