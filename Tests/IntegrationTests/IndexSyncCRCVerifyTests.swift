import CyrusFormats
import Foundation
import Testing

/// Cyrus's own per-mailbox sync CRC, compared across sides on the real-Cyrus pair: a change only
/// that CRC covers (an internal date) is a difference even though UIDs, sizes and flags agree.
@Suite(.serialized) struct IndexSyncCRCVerifyTests {
  /// A minor ≥ 12 `cyrus.index` of the failover with at least one live record, as a path
  /// relative to the spool.
  func indexWithMessages(in corpus: Corpus) throws -> String {
    guard let enumerator = FileManager.default.enumerator(atPath: corpus.failoverSpool) else {
      throw ToolError(message: "no spool")
    }
    for case let relative as String in enumerator
    where (relative as NSString).lastPathComponent == "cyrus.index" {
      let bytes = try [UInt8](
        Data(contentsOf: URL(fileURLWithPath: corpus.failoverSpool + "/" + relative)))
      let reader = try IndexReader(bytes)
      if reader.header.version.minor >= 12, reader.header.exists > 0 { return relative }
    }
    throw ToolError(message: "no index with messages in the corpus")
  }

  /// Changes the index's first live record with `change` (given the bytes and the record's
  /// offset) and rewrites every checksum Cyrus keeps over it (record CRC, header sync CRC,
  /// header CRC), so the file is valid: a change a copy could carry, not damage.
  func rewriteFirstLiveRecord(
    indexPath: String, headerPath: String, _ change: (inout [UInt8], IndexRecord) -> Void
  ) throws {
    var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: indexPath)))
    let names = try MailboxHeader.read(
      try [UInt8](Data(contentsOf: URL(fileURLWithPath: headerPath)))
    ).userFlags
    let header = try IndexReader(bytes).header
    var target: IndexRecord?
    try IndexReader(bytes).forEachRecord { record in
      if target == nil, !record.isExpunged { target = record }
    }
    let record = try #require(target)
    let size = Int(header.recordSize)
    func put32(_ offset: Int, _ value: UInt32) {
      for i in 0..<4 { bytes[offset + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * i)) }
    }
    change(&bytes, record)
    put32(
      record.offset + size - 4, CRC32.checksum(bytes[record.offset..<(record.offset + size - 4)]))
    var sync: UInt32 = 0
    try IndexReader(bytes).forEachRecord { sync ^= $0.syncCRC(userFlags: names) }
    put32(100, sync)  // mailbox.c: OFFSET_SYNCCRCS_BASIC (minor ≥ 12)
    let headerCRCOffset = header.version.headerSize - 4
    put32(headerCRCOffset, CRC32.checksum(bytes[0..<headerCRCOffset]))
    try Data(bytes).write(to: URL(fileURLWithPath: indexPath))
    // The rewritten file must read clean: only the CRC comparison may see the change.
    let check = try IndexReader(bytes).forEachRecord(userFlags: names) { _ in }
    #expect(check.isClean)
  }

  @Test func internalDateChangedOnlyCyrusSyncCRCSeesIt() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try indexWithMessages(in: corpus)
    let directory = (relative as NSString).deletingLastPathComponent
    // The internal date moved by one second: no digest of ours covers it.
    try rewriteFirstLiveRecord(
      indexPath: corpus.failoverSpool + "/" + relative,
      headerPath: corpus.failoverSpool + "/" + directory + "/cyrus.header"
    ) { bytes, record in
      let date = record.internalDate &+ 1
      for i in 0..<4 {
        bytes[record.offset + 4 + i] = UInt8(truncatingIfNeeded: date >> (24 - 8 * i))
      }
    }
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // The index difference explains the file's content: one finding.
    #expect(result.findings == ["index.mismatch partition-default:\(relative)"])
    #expect(result.status == 1)
    let findings = try #require(result.json["findings"] as? [[String: Any]])
    let mismatch = try #require(findings.first { $0["code"] as? String == "index.mismatch" })
    #expect((mismatch["primary"] as? String)?.hasPrefix("sync_crc ") == true)
    #expect((mismatch["failover"] as? String)?.hasPrefix("sync_crc ") == true)
    #expect(mismatch["primary"] as? String != mismatch["failover"] as? String)
  }

  @Test func ownerSeenChangedShowsBothSeenSets() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try indexWithMessages(in: corpus)
    let directory = (relative as NSString).deletingLastPathComponent
    let bytes = try [UInt8](
      Data(contentsOf: URL(fileURLWithPath: corpus.failoverSpool + "/" + relative)))
    var seen: [UInt32] = []
    var live: [UInt32] = []
    try IndexReader(bytes).forEachRecord { record in
      guard !record.isExpunged else { return }
      live.append(record.uid)
      if record.systemFlags.contains(.seen) { seen.append(record.uid) }
    }
    let first = try #require(live.first)
    // \Seen is bit 4 of system_flags (imap/mailbox.h FLAG_SEEN), the record's bytes 32-35.
    try rewriteFirstLiveRecord(
      indexPath: corpus.failoverSpool + "/" + relative,
      headerPath: corpus.failoverSpool + "/" + directory + "/cyrus.header"
    ) { bytes, record in
      bytes[record.offset + 35] ^= 0x10
      // The header counts unseen messages (minor ≥ 14, offset 124): keep it true.
      let unseen = bytes[124..<128].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
      let now = record.systemFlags.contains(.seen) ? unseen + 1 : unseen - 1
      for i in 0..<4 { bytes[124 + i] = UInt8(truncatingIfNeeded: now >> (24 - 8 * i)) }
    }
    let changed =
      seen.contains(first) ? seen.filter { $0 != first } : ([first] + seen)
    func text(_ uids: [UInt32]) -> String {
      uids.isEmpty ? "none" : "UIDs " + SequenceSet(uids: uids).description
    }
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // The index difference explains the file's content: one finding.
    #expect(result.findings == ["index.mismatch partition-default:\(relative)"])
    let findings = try #require(result.json["findings"] as? [[String: Any]])
    let mismatch = try #require(findings.first { $0["code"] as? String == "index.mismatch" })
    let primary = try #require(mismatch["primary"] as? String)
    let failover = try #require(mismatch["failover"] as? String)
    #expect(primary.hasPrefix("\\Seen \(text(seen)), sync_crc "))
    #expect(failover.hasPrefix("\\Seen \(text(changed.sorted())), sync_crc "))
  }
}
