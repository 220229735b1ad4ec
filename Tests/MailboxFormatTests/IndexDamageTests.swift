import Testing

@testable import CyrusFormats

/// Damage to a real 3.6.1 index (anna's INBOX: minor 17, 160-byte header, 8 records of 112
/// bytes): one change each, and the complete set of problems it gives.
@Suite("damaged cyrus.index")
struct IndexDamageTests {
  static func good() throws -> [UInt8] { try MailboxCorpus.file("anna-INBOX.cyrus.index") }

  @Test("cut inside the header: a thrown truncation", arguments: [0, 4, 11, 12, 100, 159])
  func truncatedHeader(length: Int) throws {
    let bytes = Array(try Self.good().prefix(length))
    let e = try #require(throws: MailboxFormatError.self) { try IndexReader(bytes) }
    #expect(e.kind == .truncated)
  }

  @Test(
    "cut inside the records: the records before, then a truncation problem",
    arguments: [(160, 0), (161, 0), (271, 0), (272, 1), (160 + 112 * 5 + 50, 5), (1055, 7)])
  func truncatedRecords(length: Int, whole: Int) throws {
    let bytes = Array(try Self.good().prefix(length))
    var count = 0
    let summary = try IndexReader(bytes).forEachRecord { _ in count += 1 }
    #expect(count == whole)
    #expect(!summary.isComplete)
    #expect(summary.problems.map(\.kind) == [.truncated])
    #expect(summary.problems.first?.offset == 160 + 112 * whole)
  }

  @Test("a flipped byte under a record CRC is a per-record problem; the scan goes on")
  func flippedRecordByte() throws {
    var bytes = try Self.good()
    bytes[160 + 112 * 2 + 12] ^= 0x01  // size of record 3
    var records: [IndexRecord] = []
    let summary = try IndexReader(bytes).forEachRecord { records.append($0) }
    #expect(records.count == 8)
    #expect(summary.badChecksumRecords == 1)
    #expect(summary.problems.map(\.kind) == [.recordChecksum, .countMismatch])
    #expect(summary.problems.first?.offset == 160 + 112 * 3 - 4)
    #expect(records[2].checksum.isAcceptable == false)
    #expect(records.filter { !$0.checksum.isAcceptable }.map(\.uid) == [3])
  }

  @Test("a flipped byte under the header CRC")
  func flippedHeaderByte() throws {
    var bytes = try Self.good()
    bytes[44] ^= 0x80  // uidvalidity
    let reader = try IndexReader(bytes)
    #expect(!reader.header.checksum.isAcceptable)
    let summary = try reader.forEachRecord { _ in }
    #expect(summary.problems.map(\.kind) == [.headerChecksum])
    #expect(summary.problems.first?.offset == 156)
    #expect(summary.recordCount == 8)
  }

  @Test("a wrong record size, even with a valid header CRC, is rejected")
  func wrongRecordSize() throws {
    var bytes = try Self.good()
    bytes.put32(16, 104)
    bytes = bytes.sealedHeader(160) + bytes[160...]
    let e = try #require(throws: MailboxFormatError.self) { try IndexReader(bytes) }
    #expect(e.kind == .badRecordSize)
    #expect(e.description.contains("0x10"))
  }

  @Test("every single-byte truncation and every flipped byte: a typed result, never a crash")
  func exhaustive() throws {
    let good = try Self.good()
    for length in 0..<good.count {
      if let reader = try? IndexReader(Array(good.prefix(length))) {
        let summary = try reader.forEachRecord { _ in }
        #expect(!summary.isClean)
      }
    }
    for i in 0..<good.count {
      var bytes = good
      bytes[i] ^= 0x04
      guard let reader = try? IndexReader(bytes) else { continue }
      let summary = try reader.forEachRecord { _ in }
      #expect(!summary.isClean, "flip at \(i)")
    }
  }
}
