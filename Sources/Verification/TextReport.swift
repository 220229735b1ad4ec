/// The human report: verdict and counts first, then findings grouped by mailbox (or area),
/// capped per group with "… and N more".
public enum TextReport {
  /// Writes the report for a finished run.
  public static func write(
    _ summary: FindingSummary, context: VerifyContext, verdict: Verdict, showInfo: Bool,
    to output: some ReportOutput
  ) {
    let headline: String
    switch verdict {
    case .consistent: headline = "CONSISTENT"
    case .differences: headline = "DIFFERENCES FOUND"
    case .incomplete: headline = "COULD NOT VERIFY COMPLETELY"
    }
    output.write("cyrus-failover verify: \(headline)\n")
    output.write("primary:  \(describe(context.primary))\n")
    output.write("failover: \(describe(context.failover))\n")
    output.write(
      "level \(context.level); entries: \(context.primaryEntries) on the primary, \(context.failoverEntries) on the failover,"
        + " \(context.comparedEntries) on both\n")
    output.write(
      "findings: \(summary.count(.error)) errors, \(summary.count(.warning)) warnings, \(summary.count(.info)) info\n"
    )
    let codes = summary.byCode.sorted {
      ($0.key.defaultSeverity, $0.value) > ($1.key.defaultSeverity, $1.value)
    }
    let width = codes.map(\.key.rawValue.count).max() ?? 0
    for (code, count) in codes {
      output.write(
        "  \(pad(code.rawValue, width))  \(pad(String(count), 7, left: true))  \(code.summary)\n")
    }
    for group in summary.groups where showInfo || group.worst > .info {
      output.write("\n\(group.title)\n")
      var shown = 0
      for finding in group.findings where showInfo || finding.severity > .info {
        output.write("  \(line(for: finding))\n")
        shown += 1
      }
      let hidden = group.total - shown
      if hidden > 0 { output.write("  … and \(hidden) more\n") }
    }
  }

  /// One finding on one line.
  public static func line(for finding: Finding) -> String {
    var text = "\(pad(finding.severity.rawValue, 7)) \(finding.code.rawValue)"
    if let location = finding.location { text += "  \(location)" }
    if finding.side != .both { text += "  [\(finding.side.rawValue)]" }
    if let primary = finding.primary { text += "  primary: \(primary)" }
    if let failover = finding.failover { text += "  failover: \(failover)" }
    if let detail = finding.detail { text += "  (\(detail))" }
    return text
  }

  static func describe(_ side: VerifyContext.SideInfo) -> String {
    var text = side.configFile
    if let root = side.root { text += " (paths under \(root))" }
    return text
  }

  static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return left ? fill + text : text + fill
  }
}
