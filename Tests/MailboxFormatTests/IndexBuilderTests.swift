import Testing

@testable import CyrusFormats

@Suite("cyrus.index built in code, every minor version")
struct IndexBuilderTests {
  static let minors: [UInt32] = [6, 7, 8, 9, 10, 12, 13, 14, 15, 16, 17]

  func sample(_ minor: UInt32) throws -> IndexFile {
    var f = try IndexFile(minor: minor)
    f.flagNames = ["$Label1", nil, "Junk"]
    f.messages = [
      TestMessage(uid: 1, flags: 1 << 4),  // \Seen
      TestMessage(uid: 3, size: 2000, flags: 1 | 2, userFlags: [0b101, 0, 0, 1 << 31]),
      TestMessage(uid: 4, flags: 1 << 2),  // \Deleted
    ]
    if minor >= 12 {  // an expunged, unlinked record
      f.messages.append(TestMessage(uid: 7, flags: (1 << 31) | (1 << 30)))
    }
    return f
  }

  @Test("header fields by version", arguments: minors)
  func header(minor: UInt32) throws {
    let file = try sample(minor)
    let reader = try IndexReader(file.bytes)
    let h = reader.header
    #expect(h.version.minor == minor)
    #expect(Int(h.startOffset) == h.version.headerSize)
    #expect(h.numRecords == UInt32(file.messages.count))
    #expect(h.uidValidity == 1_234_567)
    #expect(h.lastUID == (minor >= 12 ? 7 : 4))
    #expect(h.highestModseq == (minor >= 8 ? 42 : nil))
    #expect(h.checksum == (minor >= 12 ? .valid : .absent))
    #expect(h.exists == 3)
    #expect(h.syncCRC != nil || minor < 12)
    #expect((h.unseen != nil) == (minor >= 14))
    #expect((h.createdModseq != nil) == (minor >= 16))
    #expect((h.changesEpoch != nil) == (minor >= 17))
  }

  @Test("records by version", arguments: minors)
  func records(minor: UInt32) throws {
    let file = try sample(minor)
    let reader = try IndexReader(file.bytes)
    var records: [IndexRecord] = []
    let summary = try reader.forEachRecord(userFlags: file.flagNames) { records.append($0) }
    #expect(summary.isClean, "\(summary.problems)")
    #expect(records.map(\.uid) == file.messages.map(\.uid))
    let r = records[1]
    #expect(r.size == 2000)
    #expect(r.systemFlags == [.answered, .flagged])
    #expect(r.userFlagSlots == [0, 2, 127])
    #expect(r.guid == (minor >= 10 ? MessageGUID([UInt8](repeating: 0xAB, count: 20)) : .zero))
    #expect(r.modseq == (minor >= 8 ? 7 : 0))
    #expect(r.cid == (minor >= 13 ? 0x1122_3344_5566_7788 : 0))
    #expect(r.createdModseq == (minor >= 16 ? 5 : 0))
    #expect(r.checksum == (minor >= 12 ? .valid : .absent))
    #expect((r.gmtime != nil) == (minor >= 12))
    #expect((r.contentOffset != nil) == (minor < 12))
    #expect((r.saveDate != nil) == (minor >= 15))
    #expect(r.cacheOffset == 0x3000)
    #expect(r.cacheVersion == 3)
    #expect(records[0].ownerSeen == (minor >= 12 ? true : nil))
    if minor >= 12 {
      #expect(records[3].isExpunged && records[3].isUnlinked && !records[3].isArchived)
      #expect(summary.totals.live == 3)
      #expect(summary.totals.syncCRC == reader.header.syncCRC)
    }
  }

  @Test("minor ≤ 5, 11 and > 17 are rejected", arguments: [0, 4, 5, 11, 18] as [UInt32])
  func unknownMinor(minor: UInt32) throws {
    var bytes = try IndexFile(minor: 17).bytes
    bytes.put32(8, minor)
    let error = try #require(throws: MailboxFormatError.self) { try IndexReader(bytes) }
    #expect(error.kind == .unsupportedVersion)
    #expect(error.offset == 8)
  }

  @Test(
    "record_size that disagrees with the minor version",
    arguments: [(6, 72), (10, 80), (12, 104), (17, 104), (17, 120)] as [(UInt32, UInt32)])
  func wrongRecordSize(minor: UInt32, size: UInt32) throws {
    var bytes = try sample(minor).bytes
    bytes.put32(16, size)
    let error = try #require(throws: MailboxFormatError.self) { try IndexReader(bytes) }
    #expect(error.kind == .badRecordSize)
    #expect(error.offset == 16)
  }

  @Test("start_offset inside the header")
  func startInsideHeader() throws {
    var bytes = try sample(13).bytes
    bytes.put32(12, 64)
    #expect(throws: MailboxFormatError.self) { try IndexReader(bytes) }
  }

  @Test("UIDs out of order and above last_uid are collected, the scan goes on")
  func outOfOrder() throws {
    var f = try IndexFile(minor: 12)
    f.messages = [TestMessage(uid: 5), TestMessage(uid: 3), TestMessage(uid: 9)]
    var bytes = f.bytes
    bytes.put32(28, 8)  // last_uid below UID 9
    bytes = Array(bytes[0..<128]).sealedHeader(128) + bytes[128...]
    var count = 0
    let summary = try IndexReader(bytes).forEachRecord { _ in count += 1 }
    #expect(count == 3)
    #expect(summary.problems.map(\.kind) == [.outOfOrder, .outOfOrder])
    #expect(summary.problems.map(\.offset) == [128 + 96, 128 + 192])
  }

  @Test("a header counter that disagrees with the records")
  func countMismatch() throws {
    var bytes = try sample(17).bytes
    bytes.put32(56, 9)  // flagged
    bytes = Array(bytes[0..<160]).sealedHeader(160) + bytes[160...]
    let summary = try IndexReader(bytes).forEachRecord { _ in }
    #expect(summary.problems.map(\.kind) == [.countMismatch])
    #expect(summary.problems.first?.offset == 56)
  }

  @Test("trailing bytes after the last record")
  func trailing() throws {
    let bytes = try sample(16).bytes + [0, 0, 0]
    let summary = try IndexReader(bytes).forEachRecord { _ in }
    #expect(summary.problems.map(\.kind) == [.trailingBytes])
  }

  @Test("3.2+: the high 16 bits of cache_version extend cache_offset to 48 bits")
  func cacheOffset48() throws {
    let f = try sample(17)
    var bytes = f.record(f.messages[0])
    bytes.put32(56, 0x0001_0003)
    bytes.sealCRC()
    let r = try IndexRecord.parse(bytes, version: f.version, number: 1, offset: 160)
    #expect(r.cacheOffset == 0x1_0000_1000)
    #expect(r.cacheVersion == 3)
  }

  @Test("sync CRC: a user flag without a name does not count, case does not matter")
  func syncCRC() throws {
    let f = try sample(17)
    let r = try IndexRecord.parse(
      f.record(f.messages[1]), version: f.version, number: 2, offset: 160)
    #expect(r.syncCRC(userFlags: ["$LABEL1", nil, "junk"]) == r.syncCRC(userFlags: f.flagNames))
    #expect(r.syncCRC(userFlags: ["$Label1"]) != r.syncCRC(userFlags: f.flagNames))
  }
}

extension Array where Element == UInt8 {
  /// The first `size` bytes with the header CRC recomputed.
  func sealedHeader(_ size: Int) -> [UInt8] {
    var h = Array(self[0..<size])
    h.sealCRC()
    return h
  }
}
