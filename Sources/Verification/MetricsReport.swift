/// Metrics of a finished `verify` in the Prometheus text exposition format (version 0.0.4), for
/// node_exporter's textfile collector: the last run's time, duration, verdict and exit status,
/// and its findings per severity and per code (every code, zero included, so an alert on one
/// code never waits for its series to appear). No sample carries a timestamp: the collector
/// refuses them.
///
/// Every series carries the caller's `labels` (the pair it verified), so several pairs on one
/// host can write several files without clashing series.
public enum MetricsReport {
  /// A label attached to every series.
  public typealias Label = (name: String, value: String)

  /// The prefix of every metric name.
  public static let prefix = "cyrus_failover_"

  /// The verdict label values: ``Verdict``'s, and `error` for a run that stopped without one.
  public static let verdicts = ["consistent", "differences", "incomplete", "error"]

  /// The metrics of a finished run. `duration` is in seconds; `finishedAt` is the time the run
  /// ended in seconds since the Unix epoch.
  public static func render(
    summary: FindingSummary, context: VerifyContext, verdict: Verdict, duration: Double,
    finishedAt: Double, labels: [Label]
  ) -> String {
    var text = header(
      verdict: verdict.rawValue, exitStatus: ExitStatus(verdict).rawValue, duration: duration,
      finishedAt: finishedAt, labels: labels)
    text += family(
      "findings", "Findings of the last verify, per severity.",
      Severity.allCases.reversed().map { ([("severity", $0.rawValue)], summary.count($0)) },
      labels: labels)
    text += family(
      "findings_by_code", "Findings of the last verify, per finding code (see cyrus-failover(1)).",
      FindingCode.all.map { ([("code", $0.rawValue)], summary.byCode[$0] ?? 0) }, labels: labels)
    text += family(
      "entries", "Entries the last verify read on each side, and compared on both.",
      [
        ([("side", "primary")], context.primaryEntries),
        ([("side", "failover")], context.failoverEntries),
        ([("side", "compared")], context.comparedEntries),
      ], labels: labels)
    return text
  }

  /// The metrics of a run that stopped before a verdict (exit status 2): its time, duration and
  /// the `error` verdict; no finding counts, since there are none to trust.
  public static func failure(duration: Double, finishedAt: Double, labels: [Label]) -> String {
    header(
      verdict: "error", exitStatus: 2, duration: duration, finishedAt: finishedAt, labels: labels)
  }

  /// The families every run writes.
  static func header(
    verdict: String, exitStatus: Int32, duration: Double, finishedAt: Double, labels: [Label]
  ) -> String {
    precondition(verdicts.contains(verdict), "a verdict label must be one of \(verdicts)")
    return family(
      "last_run_timestamp_seconds", "When the last verify ended, in seconds since the epoch.",
      [([], MonitoringText.decimal(finishedAt))], labels: labels)
      + family(
        "duration_seconds", "How long the last verify ran, in seconds.",
        [([], MonitoringText.decimal(duration))], labels: labels)
      + family(
        "verdict", "The last verify's verdict: 1 for the one it reached, 0 for the others.",
        verdicts.map { ([("verdict", $0)], $0 == verdict ? 1 : 0) }, labels: labels)
      + family(
        "exit_status", "The last verify's exit status (0 consistent, 1 differences, 2 error).",
        [([], Int(exitStatus))], labels: labels)
  }

  /// One gauge family: HELP, TYPE, then one sample per element.
  static func family(
    _ name: String, _ help: String, _ samples: [([Label], some CustomStringConvertible)],
    labels: [Label]
  ) -> String {
    var text = "# HELP \(prefix)\(name) \(escapeHelp(help))\n# TYPE \(prefix)\(name) gauge\n"
    for (own, value) in samples {
      let all = (labels + own).map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }
      let braces = all.isEmpty ? "" : "{" + all.joined(separator: ",") + "}"
      text += "\(prefix)\(name)\(braces) \(value)\n"
    }
    return text
  }

  /// A label value as the exposition format requires: `\` as `\\`, `"` as `\"`, a line feed as
  /// `\n`; any other control character (a mailbox name or path may hold one) becomes `?`.
  public static func escapeLabelValue(_ text: String) -> String {
    escape(text, quote: true)
  }

  /// HELP text: `\` as `\\`, a line feed as `\n`, other control characters `?`.
  static func escapeHelp(_ text: String) -> String { escape(text, quote: false) }

  private static func escape(_ text: String, quote: Bool) -> String {
    MonitoringText.escape(text) { scalar in
      switch scalar {
      case "\\": "\\\\"
      case "\n": "\\n"
      case "\"" where quote: "\\\""
      default: nil
      }
    }
  }
}
