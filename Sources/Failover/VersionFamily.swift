import CyrusFormats

/// The Cyrus releases that write (and read) the same data formats: what decides whether a
/// failover's Cyrus can take the primary's copy as it is, or needs the mailbox list imported
/// from a dump (`ctl_mboxlist -u`), as the seed says "only when the Cyrus versions differ".
///
/// Families follow the on-disk formats (cyrus-formats.md §1 and §4; procedure-facts.md):
/// mailboxes.db values as text (2.2 – 2.4), as dlists by name (2.5 – 3.4), or in the 3.6
/// keyspaces; and the cyrus.index minor version (6: 2.2, 7 – 10: 2.3, 12: 2.4, 13: 2.5 – 3.0,
/// 16: 3.1 – 3.2, 17: 3.3 – 3.8).
public enum VersionFamily: String, Sendable, Codable, Comparable, CaseIterable {
  case cyrus22 = "2.2"
  case cyrus23 = "2.3"
  case cyrus24 = "2.4"
  case cyrus25to30 = "2.5-3.0"
  case cyrus31to32 = "3.1-3.2"
  case cyrus33to34 = "3.3-3.4"
  case cyrus36plus = "3.6+"

  private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

  public static func < (lhs: VersionFamily, rhs: VersionFamily) -> Bool { lhs.rank < rhs.rank }

  /// The family of a Cyrus version string (`3.6.1-4+deb12u5`, `2.2.13-19`), or nil.
  public init?(version: String) {
    let numbers = version.split(whereSeparator: { !$0.isNumber }).prefix(2).compactMap { Int($0) }
    guard numbers.count == 2 else { return nil }
    switch (numbers[0], numbers[1]) {
    case (2, 2): self = .cyrus22
    case (2, 3): self = .cyrus23
    case (2, 4): self = .cyrus24
    case (2, 5), (3, 0): self = .cyrus25to30
    case (3, 1), (3, 2): self = .cyrus31to32
    case (3, 3), (3, 4): self = .cyrus33to34
    case (3, let minor) where minor >= 5: self = .cyrus36plus
    case (let major, _) where major >= 4: self = .cyrus36plus
    default: return nil
    }
  }

  /// The family the data says wrote it: the mailboxes.db layout, narrowed by the cyrus.index
  /// minor versions seen (the newest one: Cyrus upgrades an index when it opens it).
  public init?(layout: MailboxesDBLayout?, textValues: Bool?, indexMinors: [UInt32]) {
    let newest = indexMinors.max()
    if layout == .keyspaces36 {
      self = .cyrus36plus
      return
    }
    switch newest {
    case .some(let minor) where minor <= 6: self = .cyrus22
    case .some(let minor) where minor <= 10: self = .cyrus23
    case .some(12): self = .cyrus24
    case .some(13): self = .cyrus25to30
    case .some(16): self = .cyrus31to32
    case .some(17): self = textValues == true ? .cyrus24 : .cyrus33to34
    default:
      // No index seen: the value format alone says 2.2–2.4 (text) or 2.5–3.4 (dlist).
      guard let textValues else { return nil }
      self = textValues ? .cyrus22 : .cyrus25to30
    }
  }

  /// Whether a Cyrus of `reader`'s family serves data written by this family without an
  /// import: the same family. (Newer Cyrus upgrades cyrus.index files as it opens them, but
  /// not mailboxes.db across these families; 3.x has no Berkeley DB backend at all.)
  public func isReadable(by reader: VersionFamily) -> Bool { self == reader }

  /// The `mboxlist dump`/`convert` format this family's `ctl_mboxlist -u` reads.
  public var dumpFormat: MailboxListDump.Format {
    switch self {
    case .cyrus22: .cyrus22
    case .cyrus23, .cyrus24, .cyrus25to30: .cyrus23
    case .cyrus31to32, .cyrus33to34: .cyrus30
    case .cyrus36plus: .cyrus36
    }
  }
}
