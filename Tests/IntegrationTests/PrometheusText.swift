/// A strict reader of the Prometheus text exposition format (0.0.4) as node_exporter's textfile
/// collector takes it, written from the format's description rather than from the tool's
/// writer: every sample line is `name{label="value",…} number`, label values use only the
/// `\\`, `\"` and `\n` escapes, every family has its `# HELP` and `# TYPE` before its samples,
/// and no sample carries a timestamp.
struct PrometheusText {
  /// One sample.
  struct Sample: Equatable {
    var name: String
    var labels: [String: String]
    var value: Double
  }

  /// The samples, in file order.
  var samples: [Sample] = []

  /// Reads `text`, failing on the first line that breaks the format.
  init(_ text: String) throws {
    var described: Set<String> = []
    var typed: Set<String> = []
    guard text.hasSuffix("\n") else { throw ToolError(message: "no final line feed") }
    for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("# HELP ") || line.hasPrefix("# TYPE ") {
        let words = line.split(separator: " ", maxSplits: 3)
        guard words.count == 4, Self.isName(words[2]) else {
          throw ToolError(message: "bad comment: \(line)")
        }
        if words[1] == "HELP" {
          described.insert(String(words[2]))
        } else {
          guard words[3] == "gauge" else { throw ToolError(message: "not a gauge: \(line)") }
          typed.insert(String(words[2]))
        }
        continue
      }
      let sample = try Self.sample(line)
      guard described.contains(sample.name), typed.contains(sample.name) else {
        throw ToolError(message: "\(sample.name) has no HELP or TYPE before its sample")
      }
      samples.append(sample)
    }
  }

  /// The value of the one sample of `name` whose labels include `labels`.
  func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
    let matching = samples.filter { sample in
      sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value }
    }
    return matching.count == 1 ? matching[0].value : nil
  }

  static func isName(_ name: some StringProtocol) -> Bool {
    guard let first = name.first, first.isLetter || first == "_" || first == ":" else {
      return false
    }
    return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ":") }
  }

  private static func sample(_ line: Substring) throws -> Sample {
    var rest = line[...]
    let name = rest.prefix { $0 != "{" && $0 != " " }
    guard isName(name) else { throw ToolError(message: "bad metric name: \(line)") }
    rest = rest.dropFirst(name.count)
    var labels: [String: String] = [:]
    if rest.first == "{" {
      rest = rest.dropFirst()
      while rest.first != "}" {
        let label = rest.prefix { $0 != "=" }
        guard isName(label), rest.dropFirst(label.count).hasPrefix("=\"") else {
          throw ToolError(message: "bad label: \(line)")
        }
        rest = rest.dropFirst(label.count + 2)
        var value = ""
        while let character = rest.first, character != "\"" {
          rest = rest.dropFirst()
          guard character == "\\" else {
            guard character != "\n" else { throw ToolError(message: "raw line feed: \(line)") }
            value.append(character)
            continue
          }
          switch rest.first {
          case "\\": value.append("\\")
          case "\"": value.append("\"")
          case "n": value.append("\n")
          default: throw ToolError(message: "bad escape: \(line)")
          }
          rest = rest.dropFirst()
        }
        guard rest.first == "\"" else { throw ToolError(message: "unterminated value: \(line)") }
        rest = rest.dropFirst()
        labels[String(label)] = value
        if rest.first == "," { rest = rest.dropFirst() }
      }
      rest = rest.dropFirst()
    }
    let parts = rest.split(separator: " ", omittingEmptySubsequences: false)
    guard parts.count == 2, parts[0].isEmpty, let value = Double(parts[1]) else {
      throw ToolError(message: "not `name{labels} value` (a timestamp?): \(line)")
    }
    return Sample(name: String(name), labels: labels, value: value)
  }
}
