import Foundation
import Testing

@testable import CyrusStore

/// Records as ``DigestCacheWriter`` encodes them and ``DigestCacheReader`` decodes them in
/// place: every field back as written, across blocks and areas, with paths that share prefixes
/// and `/` ranking below every other byte; a record not after the one before it is left out by
/// the writer and ends the reader's records.
@Suite struct DigestCacheCodecTests {
  /// Paths in canonical order that meet the prefix sharing's edge cases: a path that is a
  /// prefix of the next, `/` against `-` and `0` at the same place, long shared directories.
  static let tricky = ["a", "a/b", "a/b/c", "a/b-c", "a/b0", "a-b", "a0", "b", "b/\u{FF}x"]

  /// `perArea` records in each of `areas` areas, in canonical order, with keys at the edges
  /// of their fields (huge inodes, negative and far times, the last nanosecond).
  static func records(perArea: Int, areas: Int) -> [DigestCacheRecord] {
    var out: [DigestCacheRecord] = []
    for area in 0..<areas {
      var paths = tricky.map { Array($0.utf8) }
      for index in 0..<(perArea - paths.count) {
        paths.append(Array("user/u\(index / 40)/\(index % 40 + 1).".utf8))
      }
      paths.sort { EntryPath.compare($0, $1) < 0 }
      for (index, path) in paths.enumerated() {
        let seed = UInt64(area * 100_000 + index)
        out.append(
          DigestCacheRecord(
            area: area, path: path,
            key: FileKey(
              device: seed % 3 == 0 ? UInt64.max : seed, inode: UInt64.max - seed,
              size: seed * 977,
              modified: Timestamp(
                seconds: seed % 2 == 0 ? -Int64(seed) : Int64.max - Int64(seed),
                nanoseconds: Int32(seed % 1_000_000_000)),
              changed: Timestamp(seconds: Int64(seed) << 20, nanoseconds: 999_999_999)),
            lastRun: seed % 5,
            digest: (0..<UInt8(DigestCacheFormat.digestBytes)).map {
              $0 &+ UInt8(truncatingIfNeeded: seed)
            }
          ))
      }
    }
    return out
  }

  /// Writes `records` (and whatever `extra` appends after each) as the harness's cache, run 7.
  static func write(
    _ records: [DigestCacheRecord], in harness: CacheHarness,
    extra: (DigestCacheWriter, Int) -> Void = { _, _ in }
  ) throws {
    let directory = DigestCacheDirectory.open(harness.cacheDirectory)
    try #require(directory >= 0)
    defer { close(directory) }
    let identity = DigestCacheIdentity(try harness.instance)
    let writer = DigestCacheWriter(
      directory: directory, name: DigestCacheFormat.fileName(for: identity), identity: identity,
      run: 7)
    for (index, record) in records.enumerated() {
      writer.append(record)
      extra(writer, index)
    }
    writer.commit(files: UInt64(records.count), bytes: 12_345)
    #expect(writer.failure == nil)
    #expect(writer.records == records.count)
  }

  /// Every record the harness's cache file holds, and the reader's damage.
  static func readAll(_ harness: CacheHarness) throws -> (
    records: [DigestCacheRecord], damage: DigestCacheDamage?, run: UInt64
  ) {
    let directory = DigestCacheDirectory.open(harness.cacheDirectory)
    try #require(directory >= 0)
    defer { close(directory) }
    let identity = DigestCacheIdentity(try harness.instance)
    let reader = try DigestCacheReader(
      name: DigestCacheFormat.fileName(for: identity), in: directory, identity: identity)
    var records: [DigestCacheRecord] = []
    while let record = reader.next() { records.append(record) }
    return (records, reader.damage, reader.run)
  }

  @Test func recordsComeBackFieldByFieldAcrossBlocks() throws {
    let harness = try CacheHarness(files: 1)
    let areas = DigestCacheIdentity(try harness.instance).areas.count
    try #require(areas >= 2, "the harness's instance has a config directory and a partition")
    let written = Self.records(perArea: 2_500, areas: 2)
    try Self.write(written, in: harness)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: try harness.cacheFile))
    // 5,000 records of about 100 bytes: several blocks of 64 KiB.
    #expect(bytes.count > 3 * DigestCacheFormat.blockTarget)
    let read = try Self.readAll(harness)
    #expect(read.damage == nil)
    #expect(read.run == 7)
    #expect(read.records.count == written.count)
    #expect(read.records == written)
  }

  @Test func writerLeavesOutRecordsNotAfterTheLastOne() throws {
    let harness = try CacheHarness(files: 1)
    let written = Self.records(perArea: 200, areas: 2)
    // After each record: itself again, the one before it, and (in the first area) the same
    // path in the area before, each of which is not after it.
    try Self.write(written, in: harness) { writer, index in
      writer.append(written[index])
      if index > 0 { writer.append(written[index - 1]) }
      if written[index].area > 0 {
        var earlier = written[index]
        earlier.area -= 1
        writer.append(earlier)
      }
    }
    let read = try Self.readAll(harness)
    #expect(read.damage == nil)
    #expect(read.records == written)
  }

  @Test func readerStopsAtARecordOutOfOrderUnderAValidCheck() throws {
    let harness = try CacheHarness(files: 1)
    let digest = [UInt8](repeating: 0xAB, count: DigestCacheFormat.digestBytes)
    let key = FileKey(
      device: 1, inode: 2, size: 3, modified: Timestamp(seconds: 4),
      changed: Timestamp(seconds: 5))
    let first = DigestCacheRecord(
      area: 0, path: Array("x/a".utf8), key: key, lastRun: 1, digest: digest)
    var second = first
    second.path = Array("x/y".utf8)
    try Self.write([first, second], in: harness)

    // The second record: area 0, 2 bytes shared ("x/"), 1 more after its fixed part: "y".
    // Made "x/." (before "x/a"), and the block's check made again, as a forger who knows the
    // format would.
    let file = try harness.cacheFile
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    let needle: [UInt8] = [0, 0, 0, 2, 0, 1]
    let pathByte = DigestCacheFormat.recordFixedBytes
    let found = try #require(
      (0...(bytes.count - pathByte - 1)).first {
        Array(bytes[$0..<($0 + needle.count)]) == needle && bytes[$0 + pathByte] == 0x79
      })
    bytes[found + pathByte] = 0x2E
    try Self.resealFirstBlock(&bytes, file: file)

    let read = try Self.readAll(harness)
    #expect(read.records == [first])
    #expect(read.damage?.detail == "record out of canonical order")
    #expect(read.damage?.offset == found + pathByte)
  }

  @Test func readerStopsAtAFieldOutOfRangeUnderAValidCheck() throws {
    let harness = try CacheHarness(files: 1)
    let written = Self.records(perArea: 20, areas: 1)
    try Self.write(written, in: harness)
    // The third record's mtime nanoseconds made 4,294,967,295 (the field's largest value, over
    // 999,999,999), its block's check made again.
    let file = try harness.cacheFile
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
    let start = try Self.firstBlockPayload(bytes)
    var position = start
    for record in written.prefix(2) {
      let shared = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
      position += DigestCacheFormat.recordFixedBytes + record.path.count - shared
    }
    let nanoseconds = position + 38
    bytes.replaceSubrange(nanoseconds..<(nanoseconds + 4), with: [0xFF, 0xFF, 0xFF, 0xFF])
    try Self.resealFirstBlock(&bytes, file: file)

    let read = try Self.readAll(harness)
    #expect(read.records == Array(written.prefix(2)))
    #expect(read.damage?.detail == "mtime nanoseconds 4294967295")
    #expect(read.damage?.offset == nanoseconds)
  }

  @Test func writerLeavesOutAPathTooLongForItsField() throws {
    let harness = try CacheHarness(files: 1)
    let written = Self.records(perArea: 20, areas: 1)
    // Between the tenth and eleventh: a path of 65,536 bytes that sorts between them.
    var long = written[9]
    long.path += Array(repeating: 0x7A, count: DigestCacheFormat.pathLimit + 1 - long.path.count)
    #expect(EntryPath.compare(written[9].path, long.path) < 0)
    #expect(EntryPath.compare(long.path, written[10].path) < 0)
    try Self.write(written, in: harness) { writer, index in
      if index == 9 { writer.append(long) }
    }
    let read = try Self.readAll(harness)
    #expect(read.damage == nil)
    #expect(read.records == written)
  }

  /// Where the first block's payload starts in a cache file's `bytes`.
  static func firstBlockPayload(_ bytes: [UInt8]) throws -> Int {
    let identityLength = bytes[
      (DigestCacheFormat.fixedHeaderBytes - 4)..<DigestCacheFormat.fixedHeaderBytes
    ].reduce(0) { $0 << 8 | Int($1) }
    let blockStart =
      DigestCacheFormat.fixedHeaderBytes + identityLength + DigestCacheFormat.checkBytes
    try #require(bytes[blockStart] == DigestCacheFormat.blockTag)
    return blockStart + DigestCacheFormat.blockHeaderBytes
  }

  /// Makes the first block's check again over its changed `bytes`, as a forger who knows the
  /// format would, and writes them to `file`.
  static func resealFirstBlock(_ bytes: inout [UInt8], file: String) throws {
    let nonceStart = 8 + 2 + 1
    let nonce = Array(bytes[nonceStart..<(nonceStart + DigestCacheFormat.nonceBytes)])
    let payloadStart = try firstBlockPayload(bytes)
    let blockStart = payloadStart - DigestCacheFormat.blockHeaderBytes
    let payloadLength = bytes[(blockStart + 1)..<(blockStart + 5)].reduce(0) { $0 << 8 | Int($1) }
    let checkStart = payloadStart + payloadLength
    let check = DigestCacheFormat.check(nonce: nonce, index: 0, bytes[blockStart..<checkStart])
    bytes.replaceSubrange(checkStart..<(checkStart + DigestCacheFormat.checkBytes), with: check)
    try Data(bytes).write(to: URL(fileURLWithPath: file))
  }
}
