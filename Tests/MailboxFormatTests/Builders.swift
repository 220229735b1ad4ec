@testable import CyrusFormats

/// Big-endian byte helpers, so builders read like the format tables.
func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

extension Array where Element == UInt8 {
  /// Writes `value` big-endian at `offset`.
  mutating func put32(_ offset: Int, _ value: UInt32) {
    replaceSubrange(offset..<(offset + 4), with: be32(value))
  }
  mutating func put64(_ offset: Int, _ value: UInt64) {
    replaceSubrange(offset..<(offset + 8), with: be64(value))
  }
  /// Stores the CRC-32 of the bytes before the last four in the last four.
  mutating func sealCRC() { put32(count - 4, CRC32.checksum(self[0..<(count - 4)])) }
}

/// One message for ``IndexFile``.
struct TestMessage {
  var uid: UInt32
  var size: UInt32 = 1000
  var flags: UInt32 = 0
  var userFlags: [UInt32] = [0, 0, 0, 0]
  var guid: [UInt8] = [UInt8](repeating: 0xAB, count: 20)
  var modseq: UInt64 = 7
  var internalDate: UInt32 = 1_700_000_000
  var lastUpdated: UInt32 = 1_700_000_100
  var cid: UInt64 = 0x1122_3344_5566_7788
}

/// Builds a `cyrus.index` of any minor version field by field, at the offsets of the format
/// reference §7.1/§7.2, with counters and CRCs filled in as Cyrus would.
struct IndexFile {
  let version: IndexVersion
  var messages: [TestMessage] = []
  var uidValidity: UInt32 = 1_234_567
  var highestModseq: UInt64 = 42
  var headerFileCRC: UInt32 = 0
  /// User flag names for the sync CRC.
  var flagNames: [String?] = []

  init(minor: UInt32) throws {
    guard let v = IndexVersion(minor: minor) else {
      throw MailboxFormatError(.badHeader, offset: nil, detail: "test")
    }
    version = v
  }

  func record(_ m: TestMessage) -> [UInt8] {
    let minor = version.minor
    var r = [UInt8](repeating: 0, count: version.recordSize)
    r.put32(0, m.uid)
    r.put32(4, m.internalDate)
    r.put32(8, m.internalDate - 60)  // sentdate
    r.put32(12, m.size)
    r.put32(16, 300)  // header_size
    r.put32(20, minor < 12 ? 300 : m.internalDate - 30)  // content_offset / gmtime
    r.put32(24, 0x1000 * m.uid)  // cache_offset
    r.put32(28, m.lastUpdated)
    r.put32(32, m.flags)
    for (i, w) in m.userFlags.enumerated() { r.put32(36 + 4 * i, w) }
    r.put32(52, 12)  // content_lines / savedate
    r.put32(56, 3)  // cache_version
    if minor == 7 || minor == 8 || minor == 9 {
      r.replaceSubrange(60..<72, with: [UInt8](repeating: 0x55, count: 12))  // message UUID
    }
    if minor == 8 || minor == 9 { r.put64(72, m.modseq) }
    if minor >= 10 {
      r.replaceSubrange(60..<80, with: m.guid)
      r.put64(80, m.modseq)
    }
    if minor >= 13 { r.put64(88, m.cid) }
    if minor >= 16 { r.put64(96, 5) }  // createdmodseq
    if minor >= 12 {
      r.put32(version.recordSize - 8, 0xCAC4_E000)  // cache_crc
      r.sealCRC()
    }
    return r
  }

  var header: [UInt8] {
    let minor = version.minor
    var h = [UInt8](repeating: 0, count: version.headerSize)
    h.put32(0, 9)  // generation_no
    h.put32(8, minor)
    h.put32(12, UInt32(version.headerSize))
    h.put32(16, UInt32(version.recordSize))
    h.put32(20, UInt32(messages.count))
    h.put32(24, 1_700_000_500)  // last_appenddate
    h.put32(28, messages.map(\.uid).max() ?? 0)
    let live = messages.filter { minor < 12 || $0.flags & (1 << 31) == 0 }
    h.put64(32, live.reduce(0) { $0 + UInt64($1.size) })
    h.put32(44, uidValidity)
    h.put32(48, UInt32(live.filter { $0.flags & 4 != 0 }.count))
    h.put32(52, UInt32(live.filter { $0.flags & 1 != 0 }.count))
    h.put32(56, UInt32(live.filter { $0.flags & 2 != 0 }.count))
    if minor >= 8 { h.put64(68, highestModseq) }
    if minor >= 12 {
      h.put64(76, 1)  // deletedmodseq
      h.put32(84, UInt32(live.count))
      h.put32(96, headerFileCRC)
      var sync: UInt32 = 0
      for m in messages {
        let parsed = try? IndexRecord.parse(record(m), version: version, number: 1, offset: 0)
        sync ^= parsed?.syncCRC(userFlags: flagNames) ?? 0
      }
      h.put32(100, sync)
      h.put32(104, messages.map(\.uid).max() ?? 0)  // recentuid
    }
    if minor >= 14 { h.put32(124, UInt32(live.filter { $0.flags & 16 == 0 }.count)) }
    if minor >= 16 { h.put64(128, 1) }  // createdmodseq
    if minor >= 17 { h.put32(136, 1_700_000_000) }  // changes_epoch
    if minor >= 12 { h.sealCRC() }
    return h
  }

  var bytes: [UInt8] { header + messages.flatMap(record) }
}

/// `cyrus.header` in the 2.2 – 3.4 text layout.
func textHeader(quotaRoot: String, uniqueID: String?, flags: String, acl: String) -> [UInt8] {
  let first = uniqueID.map { "\(quotaRoot)\t\($0)" } ?? quotaRoot
  return MailboxHeader.magic + ascii("\(first)\n\(flags)\n\(acl)\n")
}
