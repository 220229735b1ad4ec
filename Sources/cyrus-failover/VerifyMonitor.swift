import Failover
import Verification

/// What `verify` does for monitoring when a run ends: writes the metrics file (`--metrics`),
/// prints the Nagios plugin line (`--nagios`) and picks the exit status; or, when the run
/// stopped with an error, the UNKNOWN line and failure metrics.
struct VerifyMonitor {
  /// The options given.
  var options: MonitoringOptions
  /// `primary` and `failover` as given on the command line (a path, `host:path` or a saved
  /// manifest): labels that stay the same from run to run, failed runs included.
  var labels: [MetricsReport.Label]

  /// Whether the plugin line replaces the report.
  var replacesReport: Bool { options.nagios }

  /// After a finished run: writes the metrics, then the plugin line to `output`; returns the
  /// exit status (the plugin state with `--nagios`, else the verdict's).
  func finish(
    summary: FindingSummary, context: VerifyContext, verdict: Verdict, failOn: Severity,
    output: StandardOutput
  ) throws -> Int32 {
    let duration = RunClock.elapsed
    if let path = options.metrics {
      try AtomicFile.replace(
        path,
        with: Array(
          MetricsReport.render(
            summary: summary, context: context, verdict: verdict, duration: duration,
            finishedAt: RunClock.now, labels: labels
          ).utf8))
    }
    guard options.nagios else { return ExitStatus(verdict).rawValue }
    output.write(
      NagiosReport.line(
        summary: summary, context: context, verdict: verdict, failOn: failOn, duration: duration))
    output.flush()
    return NagiosReport.state(verdict: verdict, summary: summary).rawValue
  }

  /// After a run that stopped with an error (already reported on standard error): writes the
  /// failure metrics and the UNKNOWN line; returns the exit status (3 with `--nagios`, else 2).
  func failed(_ message: String) -> Int32 {
    if let path = options.metrics {
      do {
        try AtomicFile.replace(
          path,
          with: Array(
            MetricsReport.failure(
              duration: RunClock.elapsed, finishedAt: RunClock.now, labels: labels
            ).utf8))
      } catch {
        Console.err("cyrus-failover: \(Terminal.safe("\(error)"))\n")
      }
    }
    guard options.nagios else { return ExitStatus.error.rawValue }
    Console.out(NagiosReport.unknown(message))
    return NagiosReport.State.unknown.rawValue
  }

  /// When the command line did not even parse: the UNKNOWN line and 3 if it asked for
  /// `verify --nagios`, else nil. (No metrics: the file name itself is not known for sure.)
  static func parseFailed(_ message: String, arguments: [String]) -> Int32? {
    guard arguments.dropFirst().first == "verify", arguments.contains("--nagios") else {
      return nil
    }
    Console.out(NagiosReport.unknown(message))
    return NagiosReport.State.unknown.rawValue
  }
}

extension CyrusFailover.Verify {
  /// The monitoring outputs of this run.
  var monitor: VerifyMonitor {
    VerifyMonitor(
      options: monitoring,
      labels: [
        ("primary", sides.primary ?? sides.primaryManifest ?? ""),
        ("failover", sides.failover ?? sides.failoverManifest ?? ""),
      ])
  }
}
