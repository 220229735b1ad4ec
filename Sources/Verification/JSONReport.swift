import Foundation

/// The JSON report, streamed: the header is written before the walk, each finding as it is
/// found (one object per line inside `findings`), and the summary at the end. Every value is
/// encoded from a typed value (``Finding`` is `Codable`); the schema is documented in
/// docs/json-schema.md, and `version` changes only when a member changes meaning (members are
/// only ever added).
public final class JSONReport: FindingSink {
  /// Schema version written in every report.
  public static let schemaVersion = 1
  private let output: any ReportOutput
  private var first = true

  /// Starts a report on `output` and writes its header.
  /// - Parameter toolVersion: the cyrus-failover that writes it (a repair refuses a report of
  ///   another version).
  public init(output: any ReportOutput, context: VerifyContext, toolVersion: String? = nil) {
    self.output = output
    output.write("{\"schema\": \"cyrus-failover.verify\", \"version\": \(Self.schemaVersion),\n")
    if let toolVersion { output.write(" \"tool_version\": \(Self.encode(toolVersion)),\n") }
    output.write(" \"level\": \(Self.encode(context.level)),\n")
    output.write(" \"primary\": \(Self.encode(SideHeader(context.primary))),\n")
    output.write(" \"failover\": \(Self.encode(SideHeader(context.failover))),\n")
    output.write(" \"findings\": [")
  }

  public func emit(_ finding: Finding) {
    output.write(first ? "\n  " : ",\n  ")
    first = false
    output.write(Self.encode(finding))
  }

  /// Closes the findings list and writes the summary.
  public func finish(summary: FindingSummary, context: VerifyContext, verdict: Verdict) {
    output.write(first ? "],\n" : "\n ],\n")
    output.write(" \"summary\": \(Self.encode(Summary(summary, context, verdict)))\n}\n")
  }

  /// One value as compact JSON, keys sorted and `/` not escaped.
  ///
  /// Sorted, because the same value must always give the same text: without it JSONEncoder
  /// writes an object's keys in the order of a dictionary, which differs between two encodings
  /// of equal values (a per-instance hash seed), and `--settle` compares findings by this text.
  public static func encode(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    guard let data = try? encoder.encode(value) else {
      preconditionFailure("the report's values always encode")
    }
    return String(decoding: data, as: UTF8.self)
  }

  /// A side in the header.
  struct SideHeader: Encodable {
    var side: VerifyContext.SideInfo
    init(_ side: VerifyContext.SideInfo) { self.side = side }

    enum CodingKeys: String, CodingKey {
      case configFile = "config_file"
      case root, areas
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(side.configFile, forKey: .configFile)
      try container.encode(side.root, forKey: .root)
      var areas = container.nestedContainer(keyedBy: NameKey.self, forKey: .areas)
      for area in side.areas { try areas.encode(area.path, forKey: NameKey(area.name)) }
    }
  }

  /// The summary object.
  struct Summary: Encodable {
    var verdict: String
    var exitStatus: Int32
    var severities: [(String, Int)]
    var codes: [(String, Int)]
    var entries: [(String, Int)]

    init(_ summary: FindingSummary, _ context: VerifyContext, _ verdict: Verdict) {
      self.verdict = verdict.rawValue
      exitStatus = ExitStatus(verdict).rawValue
      severities = Severity.allCases.map { ($0.rawValue, summary.count($0)) }
      codes = summary.byCode.map { ($0.key.rawValue, $0.value) }.sorted { $0.0 < $1.0 }
      entries = [
        ("primary", context.primaryEntries), ("failover", context.failoverEntries),
        ("compared", context.comparedEntries),
      ]
    }

    enum CodingKeys: String, CodingKey {
      case verdict
      case exitStatus = "exit_status"
      case severities, codes, entries
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(verdict, forKey: .verdict)
      try container.encode(exitStatus, forKey: .exitStatus)
      for (key, pairs) in [
        (CodingKeys.severities, severities), (.codes, codes), (.entries, entries),
      ] {
        var nested = container.nestedContainer(keyedBy: NameKey.self, forKey: key)
        for (name, count) in pairs { try nested.encode(count, forKey: NameKey(name)) }
      }
    }
  }

  /// A key chosen at run time (an area, a code).
  struct NameKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }
}
