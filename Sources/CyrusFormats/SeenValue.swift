/// One record value of a seen database: `VERSION SP lastread SP lastuid SP lastchange SP
/// seenuids` (`struct seendata`, 3.6.1 imap/seen.h; written `"%d %d %u %d %s"` in 2.2.13
/// cyrus/imap/seen_db.c:368, `"%d %lu %u %lu %s"` in 2.4.17 imap/seen_db.c:303; read by
/// `parse_data`, 3.6.1 imap/seen_db.c:150-170). The key is the mailbox uniqueid.
///
/// Example: `1 1199145600 42 1199145612 1:40,42`.
public struct SeenValue: Hashable, Sendable {
  /// `SEEN_VERSION`, the only version any Cyrus writes (its reader asserts it).
  public static let version = 1
  /// Longest value accepted. Unit: bytes.
  public static let maxLength = SequenceSet.maxTextLength + 64

  /// When the user last read the mailbox (time_t).
  public var lastRead: Int64
  /// The highest UID when the record was written.
  public var lastUID: UInt32
  /// When the seen set last changed (time_t).
  public var lastChange: Int64
  /// The seen UIDs.
  public var seen: SequenceSet

  public init(lastRead: Int64, lastUID: UInt32, lastChange: Int64, seen: SequenceSet) {
    self.lastRead = lastRead
    self.lastUID = lastUID
    self.lastChange = lastChange
    self.seen = seen
  }

  /// Parses a stored value.
  ///
  /// Stricter than Cyrus's `strtol` chain in one way: each number must be decimal digits
  /// (times may carry a `-`), separated by whitespace, so damage is reported rather than read
  /// as 0. As in Cyrus, whitespace before `seenuids` is skipped and the rest of the value is
  /// the sequence set (may be empty).
  ///
  /// Throws ``MailboxFormatError``: `unsupportedVersion` for a VERSION other than 1,
  /// `malformed` (with the offset in the value) for a missing or non-numeric field or a bad
  /// sequence set, `lengthLimit` for a value over ``maxLength``.
  public init<C: Collection>(parsing value: C) throws where C.Element == UInt8 {
    guard value.count <= Self.maxLength else {
      throw MailboxFormatError(
        .lengthLimit, offset: 0,
        detail: "seen value of \(value.count) bytes, limit \(Self.maxLength)")
    }
    var p = SeenParser(bytes: Array(value))
    let version = try p.integer("VERSION")
    guard version == Int64(Self.version) else {
      throw MailboxFormatError(
        .unsupportedVersion, offset: 0, detail: "seen VERSION \(version), expected \(Self.version)")
    }
    lastRead = try p.integer("lastread")
    let uid = try p.integer("lastuid")
    guard let lastUID = UInt32(exactly: uid) else {
      throw MailboxFormatError(
        .malformed, offset: p.fieldStart, detail: "lastuid \(uid) out of range")
    }
    self.lastUID = lastUID
    lastChange = try p.integer("lastchange")
    p.skipSpace()
    let rest = p.bytes[p.position...]
    do {
      seen = try SequenceSet(parsing: rest)
    } catch var error as MailboxFormatError {
      error.offset = (error.offset ?? 0) + p.position
      error.detail = "seenuids: " + error.detail
      throw error
    }
  }
}

private struct SeenParser {
  let bytes: [UInt8]
  var position = 0
  var fieldStart = 0

  static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (b >= 0x09 && b <= 0x0D) }

  mutating func skipSpace() {
    while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
  }

  /// An optionally negative decimal number after optional whitespace, followed by
  /// whitespace or the end.
  mutating func integer(_ name: String) throws -> Int64 {
    skipSpace()
    fieldStart = position
    var negative = false
    if position < bytes.count, bytes[position] == UInt8(ascii: "-") {
      negative = true
      position += 1
    }
    var n: Int64 = 0
    let digitsStart = position
    while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
      let (m, o1) = n.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int64(bytes[position] - 0x30))
      guard !o1, !o2 else {
        throw MailboxFormatError(.malformed, offset: fieldStart, detail: "\(name) overflows")
      }
      n = s
      position += 1
    }
    guard position > digitsStart else {
      let found = position < bytes.count ? hex(bytes[position]) : "end of value"
      throw MailboxFormatError(
        .malformed, offset: position, detail: "\(name) expected, found \(found)")
    }
    if position < bytes.count, !Self.isSpace(bytes[position]) {
      throw MailboxFormatError(
        .malformed, offset: position,
        detail: "\(name) followed by \(hex(bytes[position])), expected a space")
    }
    return negative ? -n : n
  }
}
