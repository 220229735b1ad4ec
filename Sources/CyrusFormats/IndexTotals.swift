/// Counters summed over the records of a `cyrus.index`, to compare with the header's own
/// (`header_update_counts`, 3.6.1 imap/mailbox.c:3180-3215: expunged records are not counted).
public struct IndexTotals: Hashable, Sendable {
  /// All records, expunged included.
  public var records: UInt32 = 0
  /// Records without EXPUNGED (all records before minor 12).
  public var live: UInt32 = 0
  public var answered: UInt32 = 0
  public var flagged: UInt32 = 0
  public var deleted: UInt32 = 0
  /// Live records without \Seen.
  public var unseen: UInt32 = 0
  /// Sum of the live records' sizes. Unit: bytes.
  public var liveSize: UInt64 = 0
  /// XOR of the records' sync CRCs, when flag names were given.
  public var syncCRC: UInt32? = nil

  public init() {}

  mutating func add(_ r: IndexRecord, userFlags: [String?]?) {
    records += 1
    if let userFlags { syncCRC = (syncCRC ?? 0) ^ r.syncCRC(userFlags: userFlags) }
    guard !r.isExpunged else { return }
    live += 1
    if r.systemFlags.contains(.answered) { answered += 1 }
    if r.systemFlags.contains(.flagged) { flagged += 1 }
    if r.systemFlags.contains(.deleted) { deleted += 1 }
    if !r.systemFlags.contains(.seen) { unseen += 1 }
    liveSize += UInt64(r.size)
  }

  /// The header counters that differ from these totals, as `countMismatch` problems at the
  /// field's offset. Only minor ≥ 12 is checked: that is where the counters' meaning is fixed
  /// by the source read (`header_update_counts`); older versions are left alone.
  func mismatches(with h: IndexHeader, checkSyncCRC: Bool) -> [MailboxFormatError] {
    guard h.version.minor >= 12 else { return [] }
    var out: [MailboxFormatError] = []
    func check<T: BinaryInteger>(_ name: String, _ stored: T?, _ counted: T?, at offset: Int) {
      guard let stored, let counted, stored != counted else { return }
      out.append(
        MailboxFormatError(
          .countMismatch, offset: offset,
          detail: "header \(name) \(stored), records give \(counted)"))
    }
    check("exists", h.exists, live, at: 84)
    check("answered", h.answered, answered, at: 52)
    check("flagged", h.flagged, flagged, at: 56)
    check("deleted", h.deleted, deleted, at: 48)
    check("unseen", h.unseen, h.unseen == nil ? nil : unseen, at: 124)
    check("quota_mailbox_used", h.quotaMailboxUsed, liveSize, at: 32)
    if checkSyncCRC, let stored = h.syncCRC, let computed = syncCRC, stored != computed {
      out.append(
        MailboxFormatError(
          .countMismatch, offset: 100,
          detail: "header sync CRC \(hex(stored)), records give \(hex(computed))"))
    }
    return out
  }
}
