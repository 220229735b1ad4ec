/// Damage or an unsupported layout found while reading a cyrusdb file (skiplist, twoskip, flat).
///
/// The error holds no path: it describes a position inside the bytes it was given, and the
/// caller (the store) adds the file name. The same type describes non-fatal warnings, which
/// readers collect in ``CyrusDBScanSummary/warnings`` instead of throwing.
public typealias CyrusDBError = OffsetError<CyrusDBErrorKind>

/// What went wrong in a cyrusdb file. Raw values are stable and may be used in finding codes.
public enum CyrusDBErrorKind: String, Hashable, Sendable {
  /// The file ends before a structure that must be there (header, record, key, value).
  case truncated
  /// The first bytes are not the magic of the expected backend.
  case badMagic
  /// A format version this reader does not know.
  case unsupportedVersion
  /// A header field out of its allowed range (maxlevel, curlevel, current_size, …).
  case badHeader
  /// The twoskip header CRC does not match bytes 0–59.
  case headerChecksum
  /// A twoskip record's head CRC (type … pointers) does not match.
  case recordHeadChecksum
  /// A twoskip record's tail CRC (key, value, padding) does not match.
  case recordTailChecksum
  /// A record type byte or word not allowed at this position.
  case badRecordType
  /// A pointer or offset outside the file, unaligned, or not pointing at a record.
  case badPointer
  /// Skiplist pointer list without its 0xFFFFFFFF terminator, or non-zero padding.
  case badPadding
  /// A length read from disk exceeds a named limit of this reader.
  case lengthLimit
  /// Keys not strictly increasing in the backend's order.
  case outOfOrder
  /// The header's record count (twoskip num_records, skiplist listsize) differs from the
  /// records found.
  case countMismatch
  /// Skiplist: the INORDER section does not end at the header's logstart.
  case logStartMismatch
  /// Skiplist: a trailing log transaction without COMMIT (normal after a crash or during a
  /// write; ignored as Cyrus's recovery ignores it).
  case uncommittedTail
  /// Skiplist log: an ADD for a key that already exists (Cyrus replaces it).
  case duplicateAdd
  /// Skiplist log: a DELETE of a key that does not exist (Cyrus skips it).
  case deleteOfMissingKey
  /// Skiplist log: runs of zero words Cyrus's recovery skips.
  case zeroFill
  /// Flat: a line without TAB or without final LF, or an invalid 0xFF escape.
  case malformedLine
}

/// An error at a place in parsed bytes: a kind, the offset where the format says it (printed in
/// hex, as Cyrus prints offsets), and the specifics. The cyrusdb readers (``CyrusDBError``) and
/// the mailbox-file parsers (``MailboxFormatError``) describe their errors this way, each with
/// its own kinds.
///
/// It holds no path: the offset is a position inside the bytes the parser was given, and the
/// caller (the store) adds the file name.
public struct OffsetError<K: RawRepresentable & Hashable & Sendable>: Error, Hashable, Sendable,
  CustomStringConvertible
where K.RawValue == String {
  /// The kinds of this error.
  public typealias Kind = K
  /// What went wrong.
  public var kind: Kind
  /// Byte offset in the parsed bytes where the problem was found, if it has one.
  public var offset: Int?
  /// Human-readable specifics (values found and expected).
  public var detail: String

  /// Makes an error.
  public init(_ kind: Kind, offset: Int?, detail: String) {
    self.kind = kind
    self.offset = offset
    self.detail = detail
  }

  public var description: String {
    guard let offset else { return "\(kind.rawValue): \(detail)" }
    return "\(kind.rawValue) at offset \(hex(offset)): \(detail)"
  }
}

/// `0x` and uppercase hex digits, as Cyrus prints offsets in its own messages.
func hex<T: BinaryInteger>(_ value: T) -> String {
  "0x" + String(value, radix: 16, uppercase: true)
}
