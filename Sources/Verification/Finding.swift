/// How much a finding matters.
public enum Severity: String, Sendable, Codable, Comparable, CaseIterable {
  /// Recorded for completeness; the copy is still consistent.
  case info
  /// A difference that does not lose mail or state but should be fixed (broken hard links, a
  /// mode), or something that could not be checked on a live spool.
  case warning
  /// The failover would serve wrong or missing data, or a part could not be verified.
  case error

  private var rank: Int {
    switch self {
    case .info: 0
    case .warning: 1
    case .error: 2
    }
  }

  public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
}

/// Which host a finding is about.
public enum Side: String, Sendable, Codable {
  case primary, failover, both
}

/// One thing found while comparing a primary with its failover: a value, never a formatted
/// string, so that text, JSON and JUnit encoders all render the same facts.
public struct Finding: Sendable, Equatable {
  /// Stable code (see ``FindingCode`` and docs/findings.md).
  public var code: FindingCode
  /// How much it matters.
  public var severity: Severity
  /// Where it was seen: `primary`/`failover` for a one-sided observation, `both` for a
  /// difference between the two.
  public var side: Side
  /// Area name (`config`, `partition-default`, …) when the finding concerns a path.
  public var area: String?
  /// Path relative to the area root, escaped for display.
  public var path: String?
  /// Mailbox (internal name) when known.
  public var mailbox: String?
  /// The value on the primary, when there is one to show.
  public var primary: String?
  /// The value on the failover.
  public var failover: String?
  /// Extra words: the number of entries below a missing directory, an error text.
  public var detail: String?

  /// Makes a finding with the code's default severity unless one is given.
  public init(
    _ code: FindingCode, severity: Severity? = nil, side: Side, area: String? = nil,
    path: String? = nil,
    mailbox: String? = nil, primary: String? = nil, failover: String? = nil, detail: String? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.side = side
    self.area = area
    self.path = path
    self.mailbox = mailbox
    self.primary = primary
    self.failover = failover
    self.detail = detail
  }

  /// `area:path`, or the area alone, or nothing.
  public var location: String? {
    guard let area else { return path }
    guard let path else { return area }
    return path.isEmpty ? "\(area):." : "\(area):\(path)"
  }
}

/// Receives findings as they are found.
public protocol FindingSink: AnyObject {
  /// Takes one finding.
  func emit(_ finding: Finding)
}
