import Processes
import Verification

extension ProcessOutcome {
  /// What a message shows of the command's standard error: see ``shown(_:lines:limit:)``.
  func shownError(lines: Int = 3, limit: Int = 500) -> String {
    Self.shown(errorText, lines: lines, limit: limit)
  }

  /// Text a command wrote (on this host or another, whose output nothing vouches for) as a
  /// message shows it: its last `lines` non-empty lines joined with ` / `, the last `limit`
  /// characters of that, control characters escaped (``Terminal/safe(_:keepNewlines:)``), so
  /// that it can neither act on the operator's terminal nor start a line of its own in a log.
  static func shown(_ text: String, lines: Int = 3, limit: Int = 500) -> String {
    let joined = text.split(whereSeparator: \.isNewline)
      .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
      .suffix(lines).joined(separator: " / ")
    return Terminal.safe(String(joined.suffix(limit)))
  }
}
