import Glibc
import Verification

/// The progress of a verify for a person watching it, on standard error only: per side the
/// files and bytes done, the rate, and the time left when the size of the spool is known (from
/// the digest cache's previous run). Never on standard output, never in a report.
///
/// On a terminal one line is redrawn in place at most every ``terminalInterval`` seconds and cut
/// to the terminal's width; elsewhere (`--progress` into a file) a line is written every
/// ``logInterval`` seconds.
final class ProgressLine {
  /// Seconds between two redraws on a terminal.
  static let terminalInterval = 0.25
  /// Seconds between two lines when standard error is not a terminal.
  static let logInterval = 10.0

  private let onTerminal: Bool
  private let readsContent: Bool
  private let started = ContinuousClock.now
  private var lastShown = -Double.infinity
  private var shown = false

  /// - Parameter readsContent: whether the level reads every file's content (`full`, `guid`):
  ///   the rate and the time left then go by bytes, else by files.
  init(onTerminal: Bool, readsContent: Bool) {
    self.onTerminal = onTerminal
    self.readsContent = readsContent
  }

  /// Shows `counts` if it is time to.
  func update(_ counts: DiffProgress, expected: (files: UInt64, bytes: UInt64)?) {
    let elapsed = seconds
    guard elapsed - lastShown >= (onTerminal ? Self.terminalInterval : Self.logInterval) else {
      return
    }
    lastShown = elapsed
    let text = Self.render(
      counts, elapsed: elapsed, expected: expected, readsContent: readsContent)
    if onTerminal {
      Console.err("\r" + String(text.prefix(max(20, Self.terminalWidth - 1))) + "\u{1B}[K")
      shown = true
    } else {
      Console.err("cyrus-failover: " + text + "\n")
    }
  }

  /// Removes the line from the terminal.
  func clear() {
    if shown { Console.err("\r\u{1B}[K") }
  }

  private var seconds: Double {
    let duration = started.duration(to: .now).components
    return Double(duration.seconds) + Double(duration.attoseconds) / 1e18
  }

  /// `primary 51,234/200,802 files, 512 MB/2.10 GB, 120 MB/s, 3:10 left · failover …`.
  static func render(
    _ counts: DiffProgress, elapsed: Double, expected: (files: UInt64, bytes: UInt64)?,
    readsContent: Bool
  ) -> String {
    [("primary", counts.primary), ("failover", counts.failover)].map { role, side in
      var parts: [String] = []
      let files = expected.map { "\(grouped(side.files))/\(grouped(Int(clamping: $0.files)))" }
      parts.append("\(role) \(files ?? grouped(side.files)) files")
      parts.append(expected.map { "\(size(side.bytes))/\(size($0.bytes))" } ?? size(side.bytes))
      if elapsed > 0 {
        parts.append(
          readsContent
            ? "\(size(UInt64(Double(side.bytes) / elapsed)))/s"
            : "\(grouped(Int(Double(side.files) / elapsed))) files/s")
      }
      if let expected {
        let done =
          readsContent
          ? Double(side.bytes) / Double(max(1, expected.bytes))
          : Double(side.files) / Double(max(1, expected.files))
        if done >= 0.01 && done < 1 && elapsed >= 1 {
          parts.append("\(duration(elapsed * (1 - done) / done)) left")
        }
      }
      return parts.joined(separator: ", ")
    }.joined(separator: " · ")
  }

  /// `1,234,567`.
  static func grouped(_ value: Int) -> String {
    let digits = Array(String(value))
    var out = ""
    for (index, digit) in digits.enumerated() {
      if index > 0 && (digits.count - index) % 3 == 0 && digit != "-" { out += "," }
      out.append(digit)
    }
    return out
  }

  /// `512 kB`, `12.3 MB`, `2.10 GB` (decimal units, like rsync's `--human-readable`).
  static func size(_ bytes: UInt64) -> String {
    let units = ["B", "kB", "MB", "GB", "TB", "PB"]
    var value = Double(bytes)
    var unit = 0
    while value >= 1000 && unit < units.count - 1 {
      value /= 1000
      unit += 1
    }
    if unit == 0 { return "\(bytes) B" }
    let digits = value >= 100 ? 0 : value >= 10 ? 1 : 2
    return fixed(value, digits: digits) + " " + units[unit]
  }

  /// `0:42`, `12:05`, `2:03:10`.
  static func duration(_ seconds: Double) -> String {
    let total = Int(clamping: Int64(min(max(0, seconds.rounded()), 1e12)))
    let (hours, minutes, rest) = (total / 3600, total / 60 % 60, total % 60)
    let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
    return hours > 0 ? "\(hours):\(two(minutes)):\(two(rest))" : "\(minutes):\(two(rest))"
  }

  private static func fixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = Int((value * scale).rounded())
    guard digits > 0 else { return "\(scaled)" }
    let fraction = String(scaled % Int(scale))
    return "\(scaled / Int(scale))." + String(repeating: "0", count: digits - fraction.count)
      + fraction
  }

  /// Columns of the terminal on standard error (80 when it does not say).
  private static var terminalWidth: Int {
    var size = winsize()
    guard ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return 80 }
    return Int(size.ws_col)
  }
}
