/// A mailbox's `cyrus.header`: quota root, uniqueid, user flag names by slot, ACL, and in 3.6
/// also the mailbox name and type (`struct mailbox_header`, 3.6.1 imap/mailbox.h:236-246).
///
/// Two layouts follow the same 115-byte magic (identical 2.2 → 3.6, 3.6.1 imap/mailbox.h:67-70):
///
/// - ``Layout/text`` (2.2 – 3.4, still read by 3.6): `quotaroot TAB uniqueid LF`,
///   `flag0 SP flag1 SP … LF`, `acl LF` (writer 2.4.17 imap/mailbox.c:1652-1720; reader
///   3.6.1 imap/mailbox.c:1484-1605).
/// - ``Layout/dlist`` (3.6): one line `%(T … N … I … Q … A %(…) U (…))` (writer 3.6.1
///   imap/mailbox.c:2701-2790; reader `_parse_header_data`, :1372-1470).
///
/// Both can coexist in one 3.6 spool: Cyrus rewrites an old header only when it changes it.
public struct MailboxHeader: Hashable, Sendable {
  /// Which of the two layouts the file uses.
  public enum Layout: String, Hashable, Sendable {
    /// 2.2 – 3.4 three-line text.
    case text
    /// 3.6 dlist line.
    case dlist
  }

  /// `MAX_USER_FLAGS` (3.6.1 imap/mailbox.h:65; 128 since 2.2). Unit: flag slots.
  public static let maxUserFlags = 128
  /// Largest `cyrus.header` accepted; real ones hold three short lines plus an ACL.
  /// Unit: bytes.
  public static let maxFileSize = 1 << 20

  public var layout: Layout
  /// The quota root, nil when the mailbox has none (empty field or no `Q`).
  public var quotaRoot: String?
  /// The uniqueid; nil only for an ancient text header without TAB (Cyrus logs "needs
  /// reconstruct") or a dlist without `I`.
  public var uniqueID: String?
  /// The internal mailbox name (`N`, 3.6 dlist only; nil when absent or `NIL`).
  public var name: String?
  /// The mbtype letters as stored (`T`, 3.6 dlist only).
  public var typeLetters: String?
  /// User flag names by slot: slot *n* names bit *n* of an index record's user flags. A nil
  /// slot is an unused flag number (an empty field between two SPs, or `NIL` in a dlist).
  /// Trailing unused slots are dropped.
  public var userFlags: [String?]
  /// The ACL (text: the third line, TAB-separated; dlist: `A`).
  public var acl: ACL
  /// CRC-32 of the whole file, which the index header stores as `header_file_crc`
  /// (minor ≥ 12; 3.6.1 imap/mailbox.c:1511 `crc32_map`).
  public var fileCRC: UInt32

  public init(
    layout: Layout, quotaRoot: String? = nil, uniqueID: String?, name: String? = nil,
    typeLetters: String? = nil, userFlags: [String?] = [], acl: ACL = ACL(), fileCRC: UInt32 = 0
  ) {
    self.layout = layout
    self.quotaRoot = quotaRoot
    self.uniqueID = uniqueID
    self.name = name
    self.typeLetters = typeLetters
    self.userFlags = userFlags
    self.acl = acl
    self.fileCRC = fileCRC
  }

  /// The mbtype letters decoded, when present and valid.
  public var mailboxType: MailboxType? { typeLetters.flatMap { try? MailboxType(letters: $0) } }

  /// The name of user flag slot `slot`, or nil for an unused or out-of-range slot.
  public func userFlagName(_ slot: Int) -> String? {
    slot >= 0 && slot < userFlags.count ? userFlags[slot] : nil
  }

  /// The magic every `cyrus.header` starts with (`MAILBOX_HEADER_MAGIC`).
  public static let magic: [UInt8] =
    [0xA1, 0x02, 0x8B, 0x0D] + Array("Cyrus mailbox header\n".utf8)
    + Array("\"The best thing about this system was that it had lots of goals.\"\n".utf8)
    + Array("\t--Jim Morris on Andrew\n".utf8)
}
