/// A mailbox's type and flags (`mbentry->mbtype`), independent of the Cyrus version that wrote
/// them, with the stored form kept in ``raw``.
///
/// Three stored forms exist:
/// - 2.2 – 3.4 numeric bitmask (mailboxes.db text values up to 2.4, all text dumps): bit 0
///   REMOTE, 1 RESERVE, 2 NETNEWS, 3 MOVING, 4 DELETED (2.4+), 5 CALENDAR, 6 ADDRESSBOOK (2.5+),
///   7 COLLECTION (3.0+), 8 INTERMEDIATE, 9 SUBMISSION, 10 PUSHSUBSCRIPTION (3.2+)
///   (3.4.9 imap/mboxlist.h:74-92; bits never moved, so one table reads every version).
/// - 2.5 – 3.4 dlist letters, one per bit: `d m n r z c b a i s p`
///   (3.4.9 imap/mboxlist.c:192 `mboxlist_mbtype_to_string`).
/// - 3.6 letters: a type letter `e n s p f b c a` first, then flags in the order `d m r z i l`
///   (3.6.1 imap/mboxlist.c:205-257, 469-530; a type in the low 4 bits, flags from bit 4).
///
/// The letters mean the same thing in both letter forms, so ``init(letters:)`` reads either.
/// Equality compares ``kind`` and ``flags`` only.
public struct MailboxType: Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable, CaseIterable {
    case email, netnews, jmapSubmission, jmapPushSubscription, sieve
    case collection, calendar, addressbook

    /// 3.6 letter.
    var letter: Character {
      switch self {
      case .email: "e"
      case .netnews: "n"
      case .jmapSubmission: "s"
      case .jmapPushSubscription: "p"
      case .sieve: "f"
      case .collection: "b"
      case .calendar: "c"
      case .addressbook: "a"
      }
    }

    /// Bit in the 2.2 – 3.4 numeric layout (0 for email; sieve has none).
    var legacyBit: Int {
      switch self {
      case .email, .sieve: 0
      case .netnews: 1 << 2
      case .calendar: 1 << 5
      case .addressbook: 1 << 6
      case .collection: 1 << 7
      case .jmapSubmission: 1 << 9
      case .jmapPushSubscription: 1 << 10
      }
    }
  }

  public struct Flags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// `d`: a tombstone (3.6) or a deleted mailbox not yet cleaned up (2.4+).
    public static let deleted = Flags(rawValue: 1 << 0)
    /// `m`: in mid-transfer; partition is `remotehost!localpart`.
    public static let moving = Flags(rawValue: 1 << 1)
    /// `r`: lives on another (murder) server.
    public static let remote = Flags(rawValue: 1 << 2)
    /// `z`: reserved name (rename target, mupdate reservation).
    public static let reserve = Flags(rawValue: 1 << 3)
    /// `i`: placeholder for a missing ancestor (3.2+).
    public static let intermediate = Flags(rawValue: 1 << 4)
    /// `l`: spool directory by name, not by uniqueid (3.6).
    public static let legacyDirs = Flags(rawValue: 1 << 5)

    /// 3.6 print order of flag letters.
    static let letters: [(Character, Flags)] = [
      ("d", .deleted), ("m", .moving), ("r", .remote), ("z", .reserve), ("i", .intermediate),
      ("l", .legacyDirs),
    ]
    /// Bits in the 2.2 – 3.4 numeric layout (legacyDirs has none).
    static let legacyBits: [(Int, Flags)] = [
      (1 << 0, .remote), (1 << 1, .reserve), (1 << 3, .moving), (1 << 4, .deleted),
      (1 << 8, .intermediate),
    ]
  }

  /// The form the value was read in.
  public enum Raw: Hashable, Sendable {
    case number(Int)
    case letters(String)
  }

  public var kind: Kind
  public var flags: Flags
  public var raw: Raw?

  public init(kind: Kind = .email, flags: Flags = [], raw: Raw? = nil) {
    self.kind = kind
    self.flags = flags
    self.raw = raw
  }

  public static func == (a: Self, b: Self) -> Bool { a.kind == b.kind && a.flags == b.flags }
  public func hash(into h: inout Hasher) {
    h.combine(kind)
    h.combine(flags)
  }

  /// Entries Cyrus hides from normal lookups (3.6.1 imap/mboxlist.c:742-780) or that are not
  /// local mailboxes: deleted, intermediate, reserved, remote, moving.
  public var isPlaceholder: Bool {
    !flags.isDisjoint(with: [.deleted, .intermediate, .reserve, .remote, .moving])
  }

  public var description: String { cyrus36Letters }
}
