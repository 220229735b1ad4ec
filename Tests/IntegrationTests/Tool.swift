import Foundation
import TestSupport

/// Runs the built `cyrus-failover` executable and other real programs (rsync, tar) for the
/// end-to-end tests.
enum Tool {
  /// The repository root.
  static var repository: String { TestPrograms.repository }

  /// The built executable.
  static var executable: String { TestPrograms.executable }

  /// The result of one process.
  typealias Result = TestPrograms.Result

  /// Runs `arguments[0]` (a path, or a name looked up in /usr/bin and /bin) and waits.
  @discardableResult
  static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
    try TestPrograms.run(arguments, in: directory)
  }

  /// Runs a program that must succeed.
  static func must(_ arguments: [String], in directory: String? = nil) throws {
    try TestPrograms.must(arguments, in: directory)
  }

  /// The informational findings the untouched example pair reports by itself: bert's and
  /// carla's subscriptions to mailboxes deleted and renamed since (corpora/README.md), found on
  /// each side alike (side `both`), as (mailbox, side) of `subscriptions.unknown-mailbox`. ``verify(_:)`` leaves them out
  /// of its `findings` (not out of its `json`; ``findingObjects(_:)`` reads that without them),
  /// so a test lists only what its change adds; `StateVerifyTests` asserts them exactly.
  static let exampleBaseline: Set<[String]> = [
    ["user.bert.Old Stuff", "both"], ["user.carla.Temp", "both"],
  ]

  /// Whether a JSON finding is one of the ``exampleBaseline``.
  static func isBaseline(_ finding: [String: Any]) -> Bool {
    finding["code"] as? String == "subscriptions.unknown-mailbox"
      && exampleBaseline.contains([
        finding["mailbox"] as? String ?? "", finding["side"] as? String ?? "",
      ])
  }

  /// The findings of a JSON report without the ``exampleBaseline``, in report order.
  static func findingObjects(_ json: [String: Any]) -> [[String: Any]] {
    (json["findings"] as? [[String: Any]] ?? []).filter { !isBaseline($0) }
  }

  /// Runs `cyrus-failover verify … --format json` and returns the exit status and the findings
  /// as `code area:path` strings (mailbox-list findings as `code mailbox [side]`), without the
  /// ``exampleBaseline``.
  static func verify(_ arguments: [String]) throws -> (
    status: Int32, findings: [String], json: [String: Any]
  ) {
    let result = try run([executable, "verify", "--format", "json", "--no-progress"] + arguments)
    guard
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        as? [String: Any],
      let findings = object["findings"] as? [[String: Any]]
    else {
      throw ToolError(
        message: "no JSON report (exit \(result.status)): \(result.stdout) \(result.stderr)")
    }
    let lines = findings.filter { !isBaseline($0) }.map { finding -> String in
      let code = finding["code"] as? String ?? "?"
      let side = finding["side"] as? String ?? "-"
      if code.hasPrefix("mailbox") {
        // Mailbox-list findings: the mailbox (and the side a one-sided one was seen on).
        let mailbox = finding["mailbox"] as? String ?? "-"
        return "\(code) \(mailbox) [\(side)]"
      }
      let area = finding["area"] as? String ?? "-"
      let path = finding["path"] as? String ?? "-"
      return "\(code) \(area):\(path)"
    }
    return (result.status, lines.sorted(), object)
  }
}

struct ToolError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
