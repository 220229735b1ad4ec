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
    output.write("primary:  \(Terminal.safe(describe(context.primary)))\n")
    output.write("failover: \(Terminal.safe(describe(context.failover)))\n")
    output.write(
      "level \(context.level); entries: \(context.primaryEntries) on the primary, \(context.failoverEntries) on the failover,"
        + " \(context.comparedEntries) on both\n")
    output.write(
      "findings: \(summary.count(.error)) errors, \(summary.count(.warning)) warnings, \(summary.count(.info)) info\n"
    )
    let codes = summary.codesWorstFirst
    let width = codes.map(\.code.rawValue.count).max() ?? 0
    for (code, count) in codes {
      output.write(
        "  \(pad(code.rawValue, width))  \(pad(String(count), 7, left: true))  \(code.summary)\n")
    }
    for group in summary.groups where showInfo || group.worst > .info {
      output.write("\n\(group.title)\n")
      var shown = 0
      for finding in group.findings where showInfo || finding.severity > .info {
        output.write("  \(FindingText.line(finding))\n")
        shown += 1
      }
      let hidden = group.total - shown
      if hidden > 0 { output.write("  … and \(hidden) more\n") }
    }
  }

  static func describe(_ side: VerifyContext.SideInfo) -> String {
    var text = side.configFile
    if let root = side.root { text += " (paths under \(root))" }
    return text
  }

  static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    FindingText.pad(text, width, left: left)
  }
}
