import Foundation
import Testing

@testable import CyrusFormats
@testable import CyrusStore

/// Databases and indexes whose apparent size is huge but whose bytes on disk are few (a
/// hostile or damaged tree): every read must end quickly, in a typed error or a problem naming
/// the offset, its work bounded by the bytes stored.
@Suite struct SparseDatabaseTests {
  static let tebibyte: Int64 = 1 << 40

  func be32(_ v: UInt32) -> [UInt8] {
    (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) }
  }
  func be64(_ v: UInt64) -> [UInt8] {
    (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) }
  }

  /// A twoskip record head with no key or value: type, level 0 or 31, pointers, CRCs.
  func twoskipRecord(_ type: Character, level: Int, next: UInt64) -> [UInt8] {
    var head: [UInt8] = [type.asciiValue ?? 0, UInt8(level), 0, 0, 0, 0, 0, 0]
    for index in 0...level { head += be64(index == 0 ? next : 0) }
    return head + be32(CRC32.checksum(head)) + be32(CRC32.checksum([UInt8]()))
  }

  @Test func twoskipLoopOfDeletesInATebibyteEndsAtOnce() throws {
    let tree = try TemporaryTree()
    let dummy = twoskipRecord("=", level: 31, next: 0)
    let first = 64 + dummy.count
    let second = first + 24
    var body = twoskipRecord("=", level: 31, next: UInt64(first))
    body += twoskipRecord("-", level: 0, next: UInt64(second))
    body += twoskipRecord("-", level: 0, next: UInt64(first))
    var header =
      CyrusDBKind.twoskipMagic + be32(1) + be64(1) + be64(0) + be64(0)
      + be64(UInt64(Self.tebibyte)) + be32(0)
    header += be32(CRC32.checksum(header))
    let path = try tree.sparse("mailboxes.db", size: Self.tebibyte, head: header + body)
    #expect {
      try CyrusDatabaseFile(path: path).forEachRecord { _ in }
    } throws: { error in
      let error = error as? CyrusDatabaseError
      return error?.kind == .twoskip && error?.offset == first
        && error?.reason.contains("loop through DELETE records") == true
    }
  }

  @Test func skiplistZeroFillOfATebibyteIsSkippedByItsHoles() throws {
    let tree = try TemporaryTree()
    var file = [UInt8](repeating: 0, count: 48)
    file += be32(257) + be32(0) + be32(0) + [UInt8](repeating: 0, count: 4 * 20) + be32(0xFFFF_FFFF)
    let inorder = file.count
    file +=
      be32(1) + be32(1) + Array("a".utf8) + [0, 0, 0] + be32(1) + Array("1".utf8) + [0, 0, 0]
    file += be32(0) + be32(0xFFFF_FFFF)
    let logStart = file.count
    let header =
      CyrusDBKind.skiplistMagic + be32(1) + be32(2) + be32(20) + be32(1) + be32(1)
      + be32(UInt32(logStart)) + be32(0)
    file.replaceSubrange(0..<48, with: header)
    // After the hole, a committed ADD of "b": the log must still be read past it.
    let add =
      be32(2) + be32(1) + Array("b".utf8) + [0, 0, 0] + be32(1) + Array("2".utf8) + [0, 0, 0]
    let tail = add + be32(0) + be32(0xFFFF_FFFF) + be32(255)
    let path = try tree.sparse("seen.db", size: Self.tebibyte, head: file, tail: tail)
    var keys: [String] = []
    let warnings = try CyrusDatabaseFile(path: path).forEachRecord {
      keys.append(String(decoding: $0.key, as: UTF8.self))
    }
    #expect(keys == ["a", "b"])
    #expect(inorder > 0)
    let zeroFill = try #require(warnings.first { $0.kind == .zeroFill })
    #expect(zeroFill.offset == logStart)
    #expect(zeroFill.detail == "\(Int(Self.tebibyte) - tail.count - logStart) zero bytes")
  }

  /// A minor-10 cyrus.index header (no CRCs) announcing `records` records up to `lastUID`.
  func indexHeader(records: UInt32, lastUID: UInt32) -> [UInt8] {
    var header = be32(1) + be32(0) + be32(10) + be32(96) + be32(88) + be32(records) + be32(0)
    header += be32(lastUID) + be64(0) + be32(0) + be32(77) + be32(0) + be32(0) + be32(0)
    header += be32(0) + be32(0) + be64(1)
    return header + [UInt8](repeating: 0, count: 96 - header.count)
  }

  @Test func indexAnnouncingUInt32MaxRecordsCostsTheRecordsStored() throws {
    let tree = try TemporaryTree()
    let announced = UInt32.max
    var record = [UInt8](repeating: 0, count: 88)
    record.replaceSubrange(0..<4, with: be32(1))  // UID 1
    record.replaceSubrange(12..<16, with: be32(5))  // size
    let size = 96 + Int64(announced) * 88
    let path = try tree.sparse(
      "cyrus.index", size: size, head: indexHeader(records: announced, lastUID: announced) + record)
    let reader = try IndexReader(FileBytes(path: path))
    var uids: [UInt32] = []
    let summary = try reader.forEachRecord { uids.append($0.uid) }
    #expect(uids == [1])
    #expect(!summary.isComplete)
    #expect(
      summary.problems == [
        MailboxFormatError(
          .zeroRecords, offset: 96 + 88,
          detail: "records 2–4294967295 are all zero bytes (never written, or a hole)")
      ])
  }

  @Test func sparseIndexInAWalkAtMetaLevelEndsInANote() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let mailbox = "var/spool/cyrus/mail/a/user/anna/"
    try tree.write(mailbox + "cyrus.header", "")
    try tree.sparse(
      mailbox + "cyrus.index", size: 96 + Int64(UInt32.max) * 88,
      head: indexHeader(records: UInt32.max, lastUID: UInt32.max))
    let instance = try CyrusInstance.locate(tree.path)
    let walker = InstanceWalker(instance: instance, options: WalkOptions(level: .meta))
    var header: ManifestEntry?
    while let entry = walker.next() {
      if entry.path == EntryPath("a/user/anna/cyrus.header") { header = entry }
    }
    let notes = try #require(header?.notes)
    #expect(notes.map(\.kind) == [.indexDamaged])
    #expect(notes.first?.detail.contains("records 1–4294967295 are all zero bytes") == true)
  }
}
