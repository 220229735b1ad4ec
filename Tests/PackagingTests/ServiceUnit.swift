import Foundation

/// The example service unit read the way systemd reads the parts a test can run without
/// systemd: its `Environment=` assignments and its `ExecStartPre=`/`ExecStart=` shell commands,
/// with backslash-continued lines joined (systemd.syntax(7)) and the specifiers and `$$` this
/// unit uses turned into what systemd passes on (systemd.unit(5) "Specifiers", systemd.service(5)
/// "Command lines").
struct ServiceUnit {
  /// Lines of the unit, continuations joined, comments dropped.
  let lines: [String]

  /// Reads the unit at `path`.
  init(path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    var joined: [String] = []
    var pending = ""
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if pending.isEmpty, line.hasPrefix("#") || line.hasPrefix(";") { continue }
      if line.hasSuffix("\\") {
        pending += line.dropLast() + " "
      } else {
        joined.append(pending + line)
        pending = ""
      }
    }
    lines = joined
  }

  /// Every value of `key=` in the unit.
  func values(_ key: String) -> [String] {
    lines.filter { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
  }

  /// `Environment=` assignments (`"NAME=value with spaces"` or `NAME=value`).
  var environment: [String: String] {
    var result: [String: String] = [:]
    for value in values("Environment") {
      let assignment = value.hasPrefix("\"") ? String(value.dropFirst().dropLast()) : value
      guard let equals = assignment.firstIndex(of: "=") else { continue }
      result[String(assignment[..<equals])] = String(assignment[assignment.index(after: equals)...])
    }
    return result
  }

  /// The script of an `ExecStart=/bin/sh -c '…'` line, as the shell receives it: `%%` as `%`,
  /// `%S` as `stateDirectory`, `$$` as `$`. Nil when the line is not of that form or holds
  /// another specifier or a lone `$` (systemd would expand those itself, which the unit avoids).
  static func shellScript(_ command: String, stateDirectory: String) -> String? {
    let prefix = "/bin/sh -c '"
    guard command.hasPrefix(prefix), command.hasSuffix("'") else { return nil }
    let quoted = command.dropFirst(prefix.count).dropLast()
    guard !quoted.contains("'") else { return nil }
    return expand(String(quoted), stateDirectory: stateDirectory)
  }

  /// A command line's specifiers and `$$` expanded, nil on one this test does not know.
  static func expand(_ text: String, stateDirectory: String) -> String? {
    var out = ""
    var characters = text[...]
    while let first = characters.first {
      characters = characters.dropFirst()
      guard first == "%" || first == "$" else {
        out.append(first)
        continue
      }
      switch (first, characters.first) {
      case ("%", "%"): out += "%"
      case ("%", "S"): out += stateDirectory
      case ("$", "$"): out += "$"
      default: return nil
      }
      characters = characters.dropFirst()
    }
    return out
  }
}
