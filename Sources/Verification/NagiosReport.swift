/// A Nagios or Icinga plugin status line for a finished `verify`: one line of text, then `|`
/// and performance data, and the plugin exit convention (Nagios Plugin Development Guidelines,
/// "Plugin Return Codes" and "Performance data").
///
/// The state: consistent is OK; differences are WARNING when no error-level finding is among
/// them and CRITICAL when one is; a run that could not verify part of a side is CRITICAL (the
/// copy cannot be signed off, and an unreadable file on a failover is itself a fault); UNKNOWN
/// is left for a run that could not start or stopped (``unknown(_:)``).
public enum NagiosReport {
  /// A plugin state; its raw value is the exit status.
  public enum State: Int32, Sendable, CaseIterable {
    case ok = 0
    case warning = 1
    case critical = 2
    case unknown = 3

    /// The word plugins print: `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    public var name: String {
      switch self {
      case .ok: "OK"
      case .warning: "WARNING"
      case .critical: "CRITICAL"
      case .unknown: "UNKNOWN"
      }
    }
  }

  /// The service name every line starts with.
  public static let service = "CYRUS-FAILOVER"

  /// Codes named in the text before "and N more".
  static let codesShown = 3

  /// The state for a finished run (see the type's documentation).
  public static func state(verdict: Verdict, summary: FindingSummary) -> State {
    switch verdict {
    case .consistent: .ok
    case .incomplete: .critical
    case .differences: summary.count(.error) > 0 ? .critical : .warning
    }
  }

  /// The status line, with a final newline. `failOn` is the severity from which findings count
  /// (it sets the warning threshold in the performance data); `duration` is in seconds.
  public static func line(
    summary: FindingSummary, context: VerifyContext, verdict: Verdict, failOn: Severity,
    duration: Double
  ) -> String {
    let headline: String
    switch verdict {
    case .consistent: headline = "consistent"
    case .differences: headline = "differences found"
    case .incomplete: headline = "could not verify completely"
    }
    var text =
      "\(headline): \(counted(summary.count(.error), "error")), "
      + "\(counted(summary.count(.warning), "warning")), \(summary.count(.info)) info"
    if verdict != .consistent {
      text += codes(summary)
      if let first = summary.groups.first(where: { $0.worst > .info }) {
        text += "; first: " + first.title
      }
    }
    let perfdata = [
      "errors=\(summary.count(.error));;0;0",
      "warnings=\(summary.count(.warning));\(failOn <= .warning ? "0" : "");;0",
      "info=\(summary.count(.info));;;0",
      "primary_entries=\(context.primaryEntries);;;0",
      "failover_entries=\(context.failoverEntries);;;0",
      "compared_entries=\(context.comparedEntries);;;0",
      "duration=\(MonitoringText.decimal(duration))s;;;0",
    ]
    let state = state(verdict: verdict, summary: summary)
    return "\(service) \(state.name) - \(oneLine(text)) | \(perfdata.joined(separator: " "))\n"
  }

  /// The UNKNOWN line for a run that could not start or stopped, with a final newline.
  public static func unknown(_ message: String) -> String {
    "\(service) \(State.unknown.name) - \(oneLine(message))\n"
  }

  /// `; file.missing 2, file.hardlink-mismatch 1 and 2 more codes`: the codes above info,
  /// errors first, then by count.
  static func codes(_ summary: FindingSummary) -> String {
    let codes = summary.codesWorstFirst.filter { $0.code.defaultSeverity > .info }
    guard !codes.isEmpty else { return "" }
    var text =
      "; "
      + codes.prefix(codesShown).map { "\($0.code.rawValue) \($0.count)" }.joined(
        separator: ", ")
    if codes.count > codesShown { text += " and \(codes.count - codesShown) more codes" }
    return text
  }

  static func counted(_ count: Int, _ noun: String) -> String {
    "\(count) \(noun)\(count == 1 ? "" : "s")"
  }

  /// Text safe for the plugin's first line: line breaks and tabs become spaces, other control
  /// characters `?`, and `|` (which starts the performance data) `¦`.
  static func oneLine(_ text: String) -> String {
    MonitoringText.escape(text) { scalar in
      switch scalar {
      case "\n", "\r", "\t": " "
      case "|": "¦"
      default: nil
      }
    }
  }
}
