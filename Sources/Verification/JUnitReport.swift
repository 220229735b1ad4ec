/// A JUnit XML report for CI systems: one test case per mailbox or area with findings (failed
/// when it holds a warning or error), and one passing case when nothing differs.
public enum JUnitReport {
  /// Writes the report for a finished run.
  public static func write(
    _ summary: FindingSummary, context: VerifyContext, verdict: Verdict,
    to output: some ReportOutput
  ) {
    let failing = summary.groups.filter { $0.worst > .info }
    output.write("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    output.write(
      "<testsuite name=\"cyrus-failover verify\" tests=\"\(max(1, summary.groups.count))\" failures=\"\(failing.count)\""
        + " errors=\"\(verdict == .incomplete ? 1 : 0)\">\n")
    output.write(
      "  <properties><property name=\"primary\" value=\"\(escape(context.primary.configFile))\"/>"
        + "<property name=\"failover\" value=\"\(escape(context.failover.configFile))\"/>"
        + "<property name=\"level\" value=\"\(escape(context.level))\"/></properties>\n")
    if summary.groups.isEmpty {
      output.write("  <testcase classname=\"cyrus-failover\" name=\"consistent\"/>\n")
    }
    for group in summary.groups {
      output.write("  <testcase classname=\"cyrus-failover\" name=\"\(escape(group.title))\"")
      guard group.worst > .info else {
        output.write("/>\n")
        continue
      }
      output.write(
        ">\n    <failure message=\"\(group.total) finding(s), worst \(group.worst.rawValue)\">")
      var lines = group.findings.map { escape(FindingText.line($0)) }
      if group.total > group.findings.count {
        lines.append("… and \(group.total - group.findings.count) more")
      }
      output.write(lines.joined(separator: "\n"))
      output.write("</failure>\n  </testcase>\n")
    }
    output.write("</testsuite>\n")
  }

  /// XML text escaping.
  static func escape(_ text: String) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      default:
        if scalar.value < 0x20 && scalar != "\n" && scalar != "\t" {
          out += "?"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out
  }
}
