/// Damage or an unsupported layout found in a mailbox's own files (`cyrus.header`,
/// `cyrus.index`) or in the per-user values kept beside them (seen values, subscriptions,
/// quota files).
///
/// Like ``CyrusDBError`` it holds no path: the offset is a position inside the bytes the parser
/// was given, and the caller adds the file name. The same type describes non-fatal problems that
/// ``IndexReader`` collects in ``IndexScanSummary/problems`` while the scan goes on.
public typealias MailboxFormatError = OffsetError<MailboxFormatErrorKind>

/// What went wrong in a mailbox's own files. Raw values are stable and may be used in finding
/// codes.
public enum MailboxFormatErrorKind: String, Hashable, Sendable {
  /// The bytes end before a structure that must be there.
  case truncated
  /// The first bytes are not the `cyrus.header` magic.
  case badMagic
  /// A format version this reader does not know (index minor version, seen VERSION,
  /// subscription db version).
  case unsupportedVersion
  /// An index header field out of its allowed range (start_offset, record count, …).
  case badHeader
  /// The index header's `record_size` differs from the size its minor version defines.
  case badRecordSize
  /// The index header CRC (minor ≥ 12) does not match the header bytes.
  case headerChecksum
  /// An index record CRC (minor ≥ 12) does not match the record bytes.
  case recordChecksum
  /// Index records whose UIDs are not strictly ascending, or above the header's last_uid.
  case outOfOrder
  /// A header counter (exists, answered, flagged, deleted, unseen, quota used, sync CRC)
  /// that differs from what the records add up to.
  case countMismatch
  /// Bytes after the last index record.
  case trailingBytes
  /// Index records that are all zero bytes (never written, or a hole of a sparse file); they
  /// are skipped, as a run.
  case zeroRecords
  /// A length read from disk exceeds a named limit of the parser.
  case lengthLimit
  /// Text that does not follow its grammar (header lines, seen value, sequence set, quota).
  case malformed
}
