/// The content of a quotalegacy file (`quota/<h>/<root>`) or a quota_db value: usage and limits
/// per resource (`struct quota`, 3.6.1 imap/quota.h; reader `quota_parseval`, 3.6.1
/// imap/quota_db.c:154-230; format reference §10.1).
///
/// - ``Layout/legacy`` (2.2 – 2.4, and files 2.5+ has not rewritten): `used LF limit LF`,
///   read as Cyrus does by splitting on whitespace: `used limit [extra] [RES used limit
///   [extra]]…` (2.2.13 cyrus/imap/quota_db.c:92,154; 2.4.17 imap/quota_db.c:74-80).
/// - ``Layout/dlist`` (2.5+): `%(S (used [limit]) M (…) AS (…) NF (…) [SCAN …] [MODSEQ n])`.
///
/// Limits (administrator state) are kept apart from usage (recomputable by `quota -f`). A
/// negative or omitted limit means unlimited and is not stored. Storage usage is in bytes,
/// storage limits in KiB.
public struct QuotaRecord: Hashable, Sendable {
  public enum Layout: String, Hashable, Sendable {
    case legacy
    case dlist
  }

  /// Quota resources and their stored names (`quota_db_names`, 3.6.1 imap/quota_db.c:83-88).
  public enum Resource: String, Hashable, Sendable, CaseIterable, Comparable {
    /// STORAGE: used bytes, limit KiB.
    case storage = "S"
    /// MESSAGE: number of messages.
    case message = "M"
    /// X-ANNOTATION-STORAGE: used bytes, limit KiB.
    case annotationStorage = "AS"
    /// X-NUM-FOLDERS.
    case folders = "NF"

    public static func < (a: Self, b: Self) -> Bool {
      allCases.firstIndex(of: a) ?? 0 < allCases.firstIndex(of: b) ?? 0
    }
  }

  /// Largest quota file accepted. Unit: bytes.
  public static let maxLength = 64 * 1024

  public var layout: Layout
  /// Usage per resource present in the file.
  public var usage: [Resource: Int64]
  /// Limits per resource that has one.
  public var limits: [Resource: Int64]
  /// `MODSEQ` (3.x dlist only).
  public var modseq: UInt64?

  public init(
    layout: Layout, usage: [Resource: Int64], limits: [Resource: Int64], modseq: UInt64? = nil
  ) {
    self.layout = layout
    self.usage = usage
    self.limits = limits
    self.modseq = modseq
  }

  /// Parses a quota file: a dlist when the first byte is `%`, the historical text otherwise.
  ///
  /// Throws ``MailboxFormatError``: `malformed` for text that is neither (a missing limit, a
  /// non-number, an unknown resource name, a dlist that does not parse), `lengthLimit` for
  /// more than ``maxLength`` bytes.
  public static func parse(_ bytes: [UInt8]) throws -> QuotaRecord {
    guard bytes.count <= maxLength else {
      throw MailboxFormatError(
        .lengthLimit, offset: 0, detail: "quota file of \(bytes.count) bytes, limit \(maxLength)")
    }
    if bytes.first == UInt8(ascii: "%") { return try parseDlist(bytes) }
    return try parseLegacy(bytes)
  }

  private static func number<C: Collection>(_ b: C) -> Int64? where C.Element == UInt8 {
    var digits = b[...]
    let negative = digits.first == UInt8(ascii: "-")
    if negative { digits = digits.dropFirst() }
    guard !digits.isEmpty, digits.count <= 19 else { return nil }
    var n: Int64 = 0
    for d in digits {
      guard d >= 0x30, d <= 0x39 else { return nil }
      let (m, o1) = n.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int64(d - 0x30))
      if o1 || o2 { return nil }
      n = s
    }
    return negative ? -n : n
  }

  private static func parseDlist(_ bytes: [UInt8]) throws -> QuotaRecord {
    var end = bytes.count
    while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
    let value: Dlist
    do {
      value = try Dlist.parse(bytes[0..<end])
    } catch let error as DlistError {
      throw MailboxFormatError(
        .malformed, offset: error.offset, detail: "quota dlist: \(error.detail)")
    }
    guard value.fields != nil else {
      throw MailboxFormatError(.malformed, offset: 0, detail: "quota dlist is not a kvlist")
    }
    var record = QuotaRecord(layout: .dlist, usage: [:], limits: [:])
    for resource in Resource.allCases {
      guard let item = value[resource.rawValue] else { continue }
      guard let pair = item.elements, let first = pair.first else {
        throw MailboxFormatError(
          .malformed, offset: 0, detail: "quota \(resource.rawValue) is not (used [limit])")
      }
      guard let used = first.bytes.flatMap(number) else {
        throw MailboxFormatError(.malformed, offset: 0, detail: "quota \(resource.rawValue) usage")
      }
      record.usage[resource] = used
      if pair.count > 1 {
        guard let limit = pair[1].bytes.flatMap(number) else {
          throw MailboxFormatError(
            .malformed, offset: 0, detail: "quota \(resource.rawValue) limit")
        }
        if limit >= 0 { record.limits[resource] = limit }
      }
    }
    if let m = value["MODSEQ"] {
      guard let n = m.number else {
        throw MailboxFormatError(.malformed, offset: 0, detail: "quota MODSEQ is not a number")
      }
      record.modseq = n
    }
    return record
  }

  private static func parseLegacy(_ bytes: [UInt8]) throws -> QuotaRecord {
    // Fields with their offsets, split on any whitespace (strarray_split with NULL sep).
    var fields: [(Int, ArraySlice<UInt8>)] = []
    var i = 0
    while i < bytes.count {
      while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
      let start = i
      while i < bytes.count, ![0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
      if i > start { fields.append((start, bytes[start..<i])) }
    }
    var record = QuotaRecord(layout: .legacy, usage: [:], limits: [:])
    var resource = Resource.storage
    var k = 0
    while true {
      guard k + 2 <= fields.count else {
        throw MailboxFormatError(
          .malformed, offset: k < fields.count ? fields[k].0 : bytes.count,
          detail: "quota \(resource.rawValue) needs used and limit")
      }
      guard let used = number(fields[k].1), let limit = number(fields[k + 1].1) else {
        throw MailboxFormatError(.malformed, offset: fields[k].0, detail: "quota number expected")
      }
      record.usage[resource] = used
      if limit >= 0 { record.limits[resource] = limit }
      k += 2
      if k < fields.count, number(fields[k].1) != nil { k += 1 }  // extra `used` of quota -f
      guard k < fields.count else { break }
      let name = String(decoding: fields[k].1, as: UTF8.self).uppercased()
      guard let next = Resource(rawValue: name) else {
        throw MailboxFormatError(
          .malformed, offset: fields[k].0, detail: "unknown quota resource \(name)")
      }
      resource = next
      k += 1
    }
    return record
  }
}
