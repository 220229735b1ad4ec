import CyrusStore

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
  /// Seen on the primary only.
  case primary
  /// Seen on the failover only.
  case failover
  /// A difference between the two, or a condition found on each side alike.
  case both
}

/// A fixed remark a finding can carry, rendered into words only by the reports.
public enum FindingRemark: String, Sendable, Codable {
  /// The mailbox's partition has no `partition-NAME` in the side's imapd.conf.
  case partitionNotConfigured = "partition-not-configured"
  /// A state file over the record limits: compared by digest only.
  case comparedByDigestOnly = "compared-by-digest-only"
  /// Too many seen records waited for a mailbox name: this one was not named.
  case tooManyUnnamed = "too-many-unnamed"
  /// No mailbox on either side has the seen record's uniqueid.
  case noMailboxHasUniqueID = "no-mailbox-has-uniqueid"
}

/// Whether a difference was already there when the copy was made, or came from the primary
/// changing after it (issue 12: lag versus divergence).
public enum ChangeClass: String, Sendable, Codable {
  /// The copy differs from what the primary was when the copy was made: a real difference.
  case divergence
  /// The primary changed after the copy was made: the copy lags, it is not wrong. Information.
  case lag
}

/// One thing found while comparing a primary with its failover: a value with its facts as
/// typed members, never a formatted string. The text, JSON and JUnit reports render the same
/// facts, and the repair step reads them without parsing words.
public struct Finding: Sendable, Equatable {
  /// Stable code (see ``FindingCode`` and docs/findings.md).
  public var code: FindingCode
  /// How much it matters.
  public var severity: Severity
  /// Where it was seen: `primary`/`failover` for a one-sided observation, `both` for a
  /// difference between the two or a condition found on each side alike.
  public var side: Side
  /// The area the path is in, when the finding concerns a path.
  public var area: AreaName?
  /// Path relative to the area root, as bytes.
  public var path: EntryPath?
  /// Mailbox (internal name) when known.
  public var mailbox: String?
  /// The value on the primary, when there is one to show (a size, a mode, a digest, rights).
  public var primary: String?
  /// The value on the failover.
  public var failover: String?
  /// The user whose state it is (a seen or subscription file's owner).
  public var user: String?
  /// The message UID inside `mailbox`.
  public var uid: UInt32?
  /// The mailbox uniqueid (a seen record's key, an unsafe name's entry).
  public var uniqueID: String?
  /// The ACL identifier whose rights differ.
  public var identifier: String?
  /// The quota root.
  public var quotaRoot: String?
  /// For a missing or extra directory: entries and file bytes below it, folded into this one.
  public var entriesBelow: Int?
  public var bytesBelow: UInt64?
  /// The key of a database record (mailboxes-db.record-invalid), and its byte offset.
  public var recordKey: [UInt8]?
  public var offset: UInt64?
  /// For a stale dump: which check (`dump.missing`, `dump.extra`, `dump.mismatch`,
  /// `dump.duplicate`) and the field that differs.
  public var dumpCheck: String?
  public var field: String?
  /// Text from elsewhere that explains it: an errno text, a reader's description of damage.
  public var reason: String?
  /// A fixed remark.
  public var remark: FindingRemark?
  /// Lag or divergence, when verify was asked to tell them apart.
  public var change: ChangeClass?

  /// Makes a finding with the code's default severity unless one is given.
  public init(
    _ code: FindingCode, severity: Severity? = nil, side: Side, area: AreaName? = nil,
    path: EntryPath? = nil, mailbox: String? = nil, primary: String? = nil,
    failover: String? = nil, reason: String? = nil
  ) {
    self.code = code
    self.severity = severity ?? code.defaultSeverity
    self.side = side
    self.area = area
    self.path = path
    self.mailbox = mailbox
    self.primary = primary
    self.failover = failover
    self.reason = reason
  }

  /// `area:path`, or the area alone, or nothing.
  public var location: String? {
    guard let area else { return path?.description }
    guard let path else { return area.text }
    return ManifestEntry.location(area: area.text, path: path)
  }

  /// A condition of one side's own data (``FindingCode/Scope/condition``) found on each side
  /// alike: it does not make the copies differ, so it fails a run only when asked to.
  public var isSharedCondition: Bool { side == .both && code.scope == .condition }

  /// Everything but the side and the side's value: two one-sided findings with the same key
  /// are the same condition found on each side.
  var conditionKey: Finding {
    var key = self
    key.side = .both
    key.primary = nil
    key.failover = nil
    return key
  }

  /// Merges the one-sided findings of the two sides of one place: a finding present on both
  /// (same code, place and facts) becomes one with side `both` and each side's value; the rest
  /// stay as they are, the primary's first.
  public static func mergingSides(primary: [Finding], failover: [Finding]) -> [Finding] {
    guard !primary.isEmpty, !failover.isEmpty else { return primary + failover }
    var remaining = failover
    var merged: [Finding] = []
    for finding in primary {
      let key = finding.conditionKey
      if let match = remaining.firstIndex(where: { $0.conditionKey == key }) {
        var both = key
        both.primary = finding.primary
        both.failover = remaining[match].failover
        both.severity = max(finding.severity, remaining[match].severity)
        merged.append(both)
        remaining.remove(at: match)
      } else {
        merged.append(finding)
      }
    }
    return merged + remaining
  }
}

/// Receives findings as they are found.
public protocol FindingSink: AnyObject {
  /// Takes one finding.
  func emit(_ finding: Finding)
}
