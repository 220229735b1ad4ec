/// The JSON report, streamed: the header is written before the walk, each finding as it is
/// found (one object per line inside `findings`), and the summary at the end. The schema is
/// documented in docs/json-schema.md; `version` changes only when a field changes meaning.
public final class JSONReport: FindingSink {
  /// Schema version written in every report.
  public static let schemaVersion = 1
  private let output: any ReportOutput
  private var first = true

  /// Starts a report on `output` and writes its header.
  public init(output: any ReportOutput, context: VerifyContext) {
    self.output = output
    output.write("{\"schema\": \"cyrus-failover.verify\", \"version\": \(Self.schemaVersion),\n")
    output.write(" \"level\": \(Self.quote(context.level)),\n")
    output.write(" \"primary\": \(Self.side(context.primary)),\n")
    output.write(" \"failover\": \(Self.side(context.failover)),\n")
    output.write(" \"findings\": [")
  }

  public func emit(_ finding: Finding) {
    output.write(first ? "\n  " : ",\n  ")
    first = false
    output.write(Self.object(finding))
  }

  /// Closes the findings list and writes the summary.
  public func finish(summary: FindingSummary, context: VerifyContext, verdict: Verdict) {
    output.write(first ? "],\n" : "\n ],\n")
    var counts: [String] = []
    for severity in Severity.allCases {
      counts.append("\(Self.quote(severity.rawValue)): \(summary.count(severity))")
    }
    let codes = summary.byCode.sorted { $0.key.rawValue < $1.key.rawValue }.map {
      "\(Self.quote($0.key.rawValue)): \($0.value)"
    }
    output.write(
      " \"summary\": {\"verdict\": \(Self.quote(verdict.rawValue)), \"exit_status\": \(verdict.exitStatus),"
    )
    output.write(" \"severities\": {\(counts.joined(separator: ", "))},")
    output.write(" \"codes\": {\(codes.joined(separator: ", "))},")
    output.write(
      " \"entries\": {\"primary\": \(context.primaryEntries), \"failover\": \(context.failoverEntries),"
        + " \"compared\": \(context.comparedEntries)}}\n}\n")
  }

  /// One finding as a JSON object; absent values are left out.
  public static func object(_ finding: Finding) -> String {
    var members = [
      "\"code\": \(quote(finding.code.rawValue))",
      "\"severity\": \(quote(finding.severity.rawValue))",
      "\"side\": \(quote(finding.side.rawValue))",
    ]
    let optional: [(String, String?)] = [
      ("area", finding.area), ("path", finding.path), ("mailbox", finding.mailbox),
      ("primary", finding.primary),
      ("failover", finding.failover), ("detail", finding.detail),
    ]
    for (key, value) in optional {
      if let value { members.append("\(quote(key)): \(quote(value))") }
    }
    return "{" + members.joined(separator: ", ") + "}"
  }

  static func side(_ side: VerifyContext.SideInfo) -> String {
    let areas = side.areas.map { "\(quote($0.name)): \(quote($0.path))" }.joined(separator: ", ")
    return
      "{\"config_file\": \(quote(side.configFile)), \"root\": \(side.root.map(quote) ?? "null"), \"areas\": {\(areas)}}"
  }

  /// A JSON string literal.
  public static func quote(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          let hex = String(scalar.value, radix: 16)
          out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }
}
