/// One message record of a `cyrus.index`, any minor version 6 – 17 (`struct index_record`,
/// 3.6.1 imap/mailbox.h:146-173; layout table: format reference §7.2; reader
/// `mailbox_buf_to_index_record`, 3.6.1 imap/mailbox.c:2011-2100).
///
/// Fields a version does not have are nil (or zero where noted). The 32-bit word at offset 32
/// is split as 3.6 does: low 16 bits ``systemFlags``, high 16 bits ``internalFlags``.
public struct IndexRecord: Hashable, Sendable {
  /// 1-based position in the file (`recno`).
  public var recordNumber: UInt32
  /// Offset of the record's first byte in the file. Unit: bytes.
  public var offset: Int
  /// The minor version of the file the record came from.
  public var minorVersion: UInt32

  public var uid: UInt32
  public var internalDate: UInt32
  public var sentDate: UInt32
  /// Bytes of the message file `<uid>.`.
  public var size: UInt32
  public var headerSize: UInt32
  /// Offset 20 before minor 12: `content_offset` (equal to `header_size`).
  public var contentOffset: UInt32?
  /// Offset 20 from minor 12: the Date: header as a full GMT time.
  public var gmtime: UInt32?
  /// Offset into `cyrus.cache`: offset 24, extended by the high 16 bits of offset 56 (3.2+).
  public var cacheOffset: UInt64
  public var lastUpdated: UInt32
  public var systemFlags: SystemFlags
  public var internalFlags: InternalFlags
  /// The four words of user flag bits, inline (one record per message: no array each).
  public var userFlagWords: UserFlagWords
  /// The four words of user flag bits: flag *n* is bit `n % 32` of word `n / 32`.
  public var userFlags: [UInt32] {
    get { [userFlagWords[0], userFlagWords[1], userFlagWords[2], userFlagWords[3]] }
    set { userFlagWords = UserFlagWords(newValue) }
  }
  /// Offset 52 before minor 15.
  public var contentLines: UInt32?
  /// Offset 52 from minor 15.
  public var saveDate: UInt32?
  /// Low 16 bits of offset 56.
  public var cacheVersion: UInt32
  /// SHA-1 of the message file (minor ≥ 10; ``MessageGUID/zero`` before).
  public var guid: MessageGUID
  /// Minor ≥ 8 (offset 72 for 8/9, 80 from 10); 0 before.
  public var modseq: UInt64
  /// Conversation id (minor ≥ 13); 0 before.
  public var cid: UInt64
  /// Minor ≥ 16; 0 before.
  public var createdModseq: UInt64
  /// CRC-32 of the record's `cyrus.cache` entry (minor ≥ 12).
  public var cacheCRC: UInt32?
  /// The record CRC over bytes `[0, recordSize - 4)` (minor ≥ 12).
  public var checksum: ChecksumStatus

  /// Whether user flag `slot` (0 ..< 128) is set.
  public func hasUserFlag(_ slot: Int) -> Bool {
    guard slot >= 0, slot < 32 * UserFlagWords.count else { return false }
    return userFlagWords[slot / 32] & (1 << UInt32(slot % 32)) != 0
  }

  /// The slots of all user flags set, ascending (one step per flag set, not per slot: the walk
  /// asks for every message).
  public var userFlagSlots: [Int] {
    var slots: [Int] = []
    for word in 0..<UserFlagWords.count {
      var rest = userFlagWords[word]
      while rest != 0 {
        slots.append(32 * word + rest.trailingZeroBitCount)
        rest &= rest - 1
      }
    }
    return slots
  }

  /// The record stands for an expunged message (2.4+): not counted, no message file expected
  /// once ``isUnlinked``.
  public var isExpunged: Bool { internalFlags.contains(.expunged) }
  /// The message file was already removed (2.4+).
  public var isUnlinked: Bool { internalFlags.contains(.unlinked) }
  /// The message file lies in the archive partition (3.0+).
  public var isArchived: Bool { internalFlags.contains(.archived) }

  /// The owner's \Seen from the index: nil before minor 12, where \Seen lives only in the
  /// seen database.
  public var ownerSeen: Bool? {
    minorVersion >= 12 ? systemFlags.contains(.seen) : nil
  }
}

extension IndexRecord {
  /// The IMAP system flags, low 16 bits of the flags word (`MsgFlags`, 3.6.1
  /// imap/mailbox.h:397-403; 2.2.13 cyrus/imap/mailbox.h:203-206).
  public struct SystemFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let answered = SystemFlags(rawValue: 1 << 0)
    public static let flagged = SystemFlags(rawValue: 1 << 1)
    public static let deleted = SystemFlags(rawValue: 1 << 2)
    public static let draft = SystemFlags(rawValue: 1 << 3)
    /// The owner's \Seen, 2.4+ only.
    public static let seen = SystemFlags(rawValue: 1 << 4)
  }

  /// Cyrus's own bookkeeping bits, high 16 bits of the flags word (`MsgInternalFlags`,
  /// 3.6.1 imap/mailbox.h:410-417; 2.4.17 imap/mailbox.h:293-299).
  public struct InternalFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let snoozed = InternalFlags(rawValue: 1 << 26)
    public static let splitConversation = InternalFlags(rawValue: 1 << 27)
    public static let needsCleanup = InternalFlags(rawValue: 1 << 28)
    public static let archived = InternalFlags(rawValue: 1 << 29)
    public static let unlinked = InternalFlags(rawValue: 1 << 30)
    public static let expunged = InternalFlags(rawValue: 1 << 31)
  }
}

/// The four 32-bit words of a record's user flags (`user_flags[MAX_USER_FLAGS/32]`, 3.6.1
/// imap/mailbox.h), held inline.
public struct UserFlagWords: Hashable, Sendable {
  /// Words per record (`MAX_USER_FLAGS / 32`).
  public static let count = 4
  private var w0: UInt32 = 0
  private var w1: UInt32 = 0
  private var w2: UInt32 = 0
  private var w3: UInt32 = 0

  /// All zero.
  public init() {}

  /// The first four of `words` (missing ones zero).
  public init(_ words: [UInt32]) {
    for (index, word) in words.prefix(Self.count).enumerated() { self[index] = word }
  }

  /// Whether no user flag is set.
  public var isEmpty: Bool { w0 | w1 | w2 | w3 == 0 }

  /// Word `index` (0 ..< 4).
  public subscript(index: Int) -> UInt32 {
    get {
      switch index {
      case 0: w0
      case 1: w1
      case 2: w2
      case 3: w3
      default: preconditionFailure("a user flag word index is 0..<4")
      }
    }
    set {
      switch index {
      case 0: w0 = newValue
      case 1: w1 = newValue
      case 2: w2 = newValue
      case 3: w3 = newValue
      default: preconditionFailure("a user flag word index is 0..<4")
      }
    }
  }
}
