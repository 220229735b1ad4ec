/// The header of a `cyrus.index` file, any minor version 6 – 17 (`struct index_header`,
/// 3.6.1 imap/mailbox.h:272-318; layout table: format reference §7.1; reader
/// `mailbox_buf_to_index_header`, 3.6.1 imap/mailbox.c:1829-1950).
///
/// All integers are big-endian. Fields a version does not have are nil. Unlike Cyrus, nothing
/// is defaulted: `highestModseq` is as stored (Cyrus turns 0 into 1), and ``exists`` is the
/// stored field from minor 12 and `num_records` before (Cyrus does the same for ``exists``).
public struct IndexHeader: Hashable, Sendable {
  /// The minor version and its sizes.
  public var version: IndexVersion
  public var generation: UInt32
  /// 0 normal, 1 netnews (`format`).
  public var format: UInt32
  /// Offset of the first record (`start_offset`). Unit: bytes.
  public var startOffset: UInt32
  /// Size of one record as stored (`record_size`); equals `version.recordSize`, or the
  /// header is rejected. Unit: bytes.
  public var recordSize: UInt32
  /// Records in the file: `exists` in 2.2/2.3, `num_records` (expunged included) from 2.4.
  public var numRecords: UInt32
  public var lastAppendDate: UInt32
  public var lastUID: UInt32
  /// `quota_mailbox_used`, u64 at offset 32 (for minor 6/7 the high word is a reserved 0).
  /// Unit: bytes.
  public var quotaMailboxUsed: UInt64
  public var pop3LastLogin: UInt32
  public var uidValidity: UInt32
  /// Counters of records with \Deleted, \Answered, \Flagged (non-expunged ones from 2.4).
  public var deleted: UInt32
  public var answered: UInt32
  public var flagged: UInt32
  /// Mailbox options bits (minor 6/7: the `pop3_new_uidl` boolean at the same offset).
  public var options: UInt32
  public var leakedCacheRecords: UInt32
  /// Minor ≥ 8.
  public var highestModseq: UInt64?
  /// Minor ≥ 12.
  public var deletedModseq: UInt64?
  /// Non-expunged records: the stored field from minor 12, `numRecords` before.
  public var exists: UInt32
  /// Minor ≥ 12.
  public var firstExpunged: UInt32?
  public var lastRepackTime: UInt32?
  /// CRC-32 of the whole `cyrus.header` file (minor ≥ 12); compare ``MailboxHeader/fileCRC``.
  public var headerFileCRC: UInt32?
  /// Cyrus's per-mailbox sync CRC (`sync_crc` in 2.4, `synccrcs.basic` from 2.5): the XOR of
  /// ``IndexRecord/syncCRC(userFlags:)`` over non-expunged records (minor ≥ 12).
  public var syncCRC: UInt32?
  /// The owner's last seen-notified UID and time (minor ≥ 12).
  public var recentUID: UInt32?
  public var recentTime: UInt32?
  /// Minor ≥ 13.
  public var pop3ShowAfter: UInt32?
  /// Unit: bytes. Minor ≥ 13.
  public var quotaAnnotUsed: UInt32?
  /// `synccrcs.annot` (minor ≥ 13).
  public var syncCRCAnnot: UInt32?
  /// Non-expunged records without \Seen (minor ≥ 14).
  public var unseen: UInt32?
  /// Minor ≥ 16.
  public var createdModseq: UInt64?
  /// Minor ≥ 17.
  public var changesEpoch: UInt32?
  /// The header CRC over bytes `[0, headerSize - 4)` (minor ≥ 12).
  public var checksum: ChecksumStatus

  /// `OPT_MAILBOX_DELETED`: the mailbox is deleted and awaits cleanup (3.6.1 imap/mailbox.h:436).
  public static let optionDeleted: UInt32 = 1 << 31
  /// `OPT_IMAP_SHAREDSEEN`: \Seen in the index is shared by all users (2.4+).
  public static let optionSharedSeen: UInt32 = 1 << 2

  /// Offset of byte 0 of record `number` (1-based). Unit: bytes.
  public func recordOffset(_ number: UInt32) -> Int {
    precondition(number >= 1, "index record numbers start at 1")
    return Int(startOffset) + Int(number - 1) * Int(recordSize)
  }

  /// The offset just past the last record the header announces. Unit: bytes.
  public var recordsEnd: Int { Int(startOffset) + Int(numRecords) * Int(recordSize) }
}
