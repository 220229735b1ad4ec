import Foundation
import TestSupport

/// What the sign-off tests read and make: a signing key of their own, the sign-off's JSON, and
/// its HTML page as an HTML parser reads it (`scripts/check-signoff-html.py`).
enum SignOffFiles {
  /// The identity the tests sign as.
  static let identity = "admin@example.org"

  /// A fresh ed25519 key in `directory` (`ssh-keygen -t ed25519`, no passphrase) and an
  /// ALLOWED SIGNERS file naming it for ``identity``: (private key, allowed signers).
  static func key(in directory: String, name: String = "signoff_key") throws -> (
    key: String, allowedSigners: String
  ) {
    let key = directory + "/" + name
    try Tool.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", identity, "-f", key])
    let publicKey = try String(contentsOfFile: key + ".pub", encoding: .utf8)
      .split(separator: " ").prefix(2).joined(separator: " ")
    let allowed = directory + "/" + name + ".allowed_signers"
    try Data("\(identity) \(publicKey)\n".utf8).write(to: URL(fileURLWithPath: allowed))
    return (key, allowed)
  }

  /// `DIR/signoff.json` as an object.
  static func json(_ directory: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/signoff.json"))
    guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
      throw ToolError(message: "\(directory)/signoff.json is not an object")
    }
    return object
  }

  /// The listed findings of a sign-off, in order, as `code location` (the location as the
  /// reports write it: `area:path`, or the mailbox).
  static func listedFindings(_ signOff: [String: Any]) -> [String] {
    let findings = signOff["findings"] as? [String: Any] ?? [:]
    let groups = findings["groups"] as? [[String: Any]] ?? []
    return groups.flatMap { $0["findings"] as? [[String: Any]] ?? [] }.map { finding in
      let location =
        (finding["area"] as? String).map { area in
          (finding["path"] as? String).map { $0.isEmpty ? "\(area):." : "\(area):\($0)" } ?? area
        } ?? (finding["mailbox"] as? String) ?? "—"
      return "\(finding["code"] as? String ?? "?") \(location)"
    }
  }

  /// `signoff.html` as the page checker reads it: its verdict, findings (`code location`),
  /// steps and manifests, and the errors it found (badly nested elements, external assets).
  static func page(_ directory: String) throws -> (
    verdict: String, findings: [String], steps: [String], manifests: Int, errors: [String]
  ) {
    let result = try Tool.run([
      "python3", Tool.repository + "/scripts/check-signoff-html.py", directory + "/signoff.html",
    ])
    guard
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        as? [String: Any]
    else { throw ToolError(message: "the page checker said: \(result.stderr)") }
    let findings = (object["findings"] as? [[String: Any]] ?? []).map { row in
      let cells = row["cells"] as? [String: String] ?? [:]
      return "\(row["code"] as? String ?? "?") \(cells["location"] ?? "?")"
    }
    let steps = (object["steps"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    return (
      object["verdict"] as? String ?? "", findings, steps,
      (object["manifests"] as? [Any] ?? []).count, object["errors"] as? [String] ?? ["?"]
    )
  }

  /// Replaces the first (or the `last`) `old` in a file with `new` (a hand edit of a sign-off).
  static func edit(_ path: String, _ old: String, _ new: String, last: Bool = false) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard let range = text.range(of: old, options: last ? .backwards : []) else {
      throw ToolError(message: "\(path) has no \(old)")
    }
    try Data(text.replacingCharacters(in: range, with: new).utf8).write(
      to: URL(fileURLWithPath: path))
  }

  /// Copies a sign-off directory (to tamper with the copy).
  static func copy(_ directory: String, to other: String) throws {
    try Tool.must(["cp", "-a", directory, other])
  }
}
