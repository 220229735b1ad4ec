import Testing

@testable import CyrusFormats

@Suite("TwoskipReader")
struct TwoskipReaderTests {
  static let pairs3 = [
    ("Nuser\u{1F}fred", "%(T e P default)"), ("Nuser\u{1F}joe", "%(T el)"), ("Nuser\u{1F}zed", "v"),
  ]

  @Test func readsRecordsInOrderWithSummary() throws {
    let file = TwoskipFile.sorted(Self.pairs3)
    let reader = try TwoskipReader(file)
    let (records, summary) = try reader.allRecords()
    #expect(pairs(records) == Self.pairs3.map { [$0.0, $0.1] })
    #expect(summary == CyrusDBScanSummary(recordCount: 3))
    #expect(reader.header.numRecords == 3)
    #expect(reader.header.isDirty == false)
    #expect(
      try reader.verifyLayout() == TwoskipLayout(records: 3, deletes: 0, commits: 1, blanks: 0))
  }

  @Test func emptyDatabaseHasNoRecords() throws {
    let (records, summary) = try TwoskipReader(TwoskipFile.sorted([])).allRecords()
    #expect(records.isEmpty)
    #expect(summary.warnings.isEmpty)
  }

  @Test func deleteRecordsAreSkipped() throws {
    var f = TwoskipFile()
    let a = f.append(type: "+", level: 1, key: ascii("a"), value: ascii("1"), next: [])
    let d = f.append(type: "-", level: 0, next: [])
    let c = f.append(type: "+", level: 1, key: ascii("c"), value: ascii("3"), next: [])
    f.setNext(64, 0, a)
    f.setNext(a, 0, d)
    f.setNext(d, 0, c)
    f.finish(numRecords: 2)
    #expect(pairs(try TwoskipReader(f.bytes).allRecords().records) == [["a", "1"], ["c", "3"]])
  }

  @Test func levelZeroRuleIgnoresUncommittedRecords() throws {
    // "b" was appended and linked through nextloc[1] after the last commit (offset >= current_size).
    var f = TwoskipFile()
    let a = f.append(type: "+", level: 1, key: ascii("a"), value: ascii("1"), next: [])
    let c = f.append(type: "+", level: 1, key: ascii("c"), value: ascii("3"), next: [])
    f.setNext(64, 0, a)
    f.setNext(a, 0, c)
    let committed = f.bytes.count
    let b = f.append(type: "+", level: 1, key: ascii("b"), value: ascii("2"), next: [UInt64(c)])
    f.setNext(a, 1, b)
    f.finish(numRecords: 2, currentSize: committed, flags: 1)
    let reader = try TwoskipReader(f.bytes)
    #expect(reader.header.isDirty)
    #expect(pairs(try reader.allRecords().records) == [["a", "1"], ["c", "3"]])
    f.finish(numRecords: 3)  // the same file once committed
    #expect(
      pairs(try TwoskipReader(f.bytes).allRecords().records) == [
        ["a", "1"], ["b", "2"], ["c", "3"],
      ])
  }

  @Test func blankPaddingIsSkippedBySequentialScan() throws {
    var f = TwoskipFile()
    f.blank()
    f.blank()
    let a = f.append(type: "+", level: 1, key: ascii("k"), value: ascii("v"), next: [])
    f.setNext(64, 0, a)
    f.finish(numRecords: 1)
    let reader = try TwoskipReader(f.bytes)
    #expect(
      try reader.verifyLayout() == TwoskipLayout(records: 1, deletes: 0, commits: 0, blanks: 2))
    #expect(pairs(try reader.allRecords().records) == [["k", "v"]])
  }

  @Test func numRecordsMismatchIsAWarning() throws {
    var f = TwoskipFile()
    let a = f.append(type: "+", level: 1, key: ascii("k"), value: ascii("v"), next: [])
    f.setNext(64, 0, a)
    f.finish(numRecords: 5)
    let summary = try TwoskipReader(f.bytes).forEachRecord { _ in }
    #expect(summary.recordCount == 1)
    #expect(summary.warnings.map(\.kind) == [.countMismatch])
    #expect(summary.warnings.first?.offset == 32)
  }

  @Test func outOfOrderKeysAreFatal() throws {
    let file = TwoskipFile.sorted([("b", "1"), ("a", "2")])
    var seen: [[String]] = []
    let error = dbError { try TwoskipReader(file).forEachRecord { seen.append(pairs([$0])[0]) } }
    #expect(error?.kind == .outOfOrder)
    #expect(seen == [["b", "1"]])
  }

  @Test func duplicateKeysAreOutOfOrder() throws {
    #expect(
      dbError {
        try TwoskipReader(TwoskipFile.sorted([("a", "1"), ("a", "2")])).forEachRecord { _ in }
      }?.kind == .outOfOrder)
  }

  @Test func zeroLengthFileIsTruncated() {
    let e = dbError { _ = try TwoskipReader([UInt8]()) }
    #expect(
      e == CyrusDBError(.truncated, offset: 0, detail: "twoskip header needs 64 bytes, file has 0"))
  }

  @Test func wrongMagicIsRejected() {
    var file = TwoskipFile.sorted(Self.pairs3)
    file[5] ^= 0x20
    #expect(dbError { _ = try TwoskipReader(file) }?.kind == .badMagic)
    #expect(dbError { _ = try TwoskipReader(SkiplistFile.checkpoint([])) }?.kind == .badMagic)
  }

  @Test func newerVersionIsRejected() {
    var f = TwoskipFile()
    f.finish(numRecords: 0, version: 2)
    #expect(dbError { _ = try TwoskipReader(f.bytes) }?.kind == .unsupportedVersion)
  }

  @Test(arguments: [24, 33, 50, 59, 60, 63])
  func flippedHeaderByteFailsHeaderCRC(offset: Int) {
    var file = TwoskipFile.sorted(Self.pairs3)
    file[offset] ^= 0x01
    #expect(dbError { _ = try TwoskipReader(file) }?.kind == .headerChecksum)
  }

  /// Offsets inside the first record after DUMMY (at 336): head bytes, then key/value bytes.
  @Test(arguments: [
    (339, CyrusDBError.Kind.recordHeadChecksum), (345, .recordHeadChecksum),
    (366, .recordTailChecksum), (373, .recordTailChecksum),
  ])
  func flippedRecordByteFailsItsCRC(offset: Int, kind: CyrusDBError.Kind) throws {
    var file = TwoskipFile.sorted(Self.pairs3)
    file[offset] ^= 0x40
    let error = dbError { try TwoskipReader(file).forEachRecord { _ in } }
    #expect(error?.kind == kind)
    #expect(error?.offset == 336)
  }

  @Test(arguments: [70, 200, 340, 400, 500])
  func truncatedFileIsRejected(length: Int) throws {
    let file = TwoskipFile.sorted(Self.pairs3)
    try #require(length < file.count)
    let error = dbError { try TwoskipReader(Array(file[..<length])).forEachRecord { _ in } }
    #expect(error?.kind == .truncated)
  }

  @Test func levelAbove31IsRejectedBeforeTheCRC() {
    var file = TwoskipFile.sorted(Self.pairs3)
    file[337] = 32
    #expect(dbError { try TwoskipReader(file).forEachRecord { _ in } }?.kind == .badRecordType)
  }

  @Test func pointerPastCurrentSizeIsBadPointer() {
    var f = TwoskipFile()
    f.setNext(64, 0, 4096)
    f.finish(numRecords: 0)
    // One level-0 pointer past the end: the other one (0) is used, the list is empty.
    #expect(dbError { try TwoskipReader(f.bytes).forEachRecord { _ in } } == nil)
    f.setNext(64, 1, 4096)
    f.finish(numRecords: 0)
    #expect(dbError { try TwoskipReader(f.bytes).forEachRecord { _ in } }?.kind == .badPointer)
  }

  @Test func unalignedPointerIsBadPointer() {
    var f = TwoskipFile()
    f.setNext(64, 0, 100)
    f.append(type: "$", level: 0, next: [64])
    f.finish(numRecords: 0)
    #expect(
      dbError { try TwoskipReader(f.bytes).forEachRecord { _ in } }
        == CyrusDBError(
          .badPointer, offset: 100, detail: "record offset not 8-aligned inside [0x40, 0x168)"))
  }

  @Test func deleteLoopIsDetected() {
    var f = TwoskipFile()
    let d = f.append(type: "-", level: 0, next: [])
    f.setNext(64, 0, d)
    f.setNext(d, 0, d)
    f.finish(numRecords: 0)
    // Found on the second visit of the DELETE, not after current_size / 8 steps.
    #expect(
      dbError { try TwoskipReader(f.bytes).forEachRecord { _ in } }
        == CyrusDBError(.badPointer, offset: d, detail: "pointer loop through DELETE records"))
  }

  @Test func commitOnTheChainIsBadRecordType() {
    var f = TwoskipFile()
    let c = f.append(type: "$", level: 0, next: [64])
    f.setNext(64, 0, c)
    f.finish(numRecords: 0)
    #expect(dbError { try TwoskipReader(f.bytes).forEachRecord { _ in } }?.kind == .badRecordType)
  }

  @Test func errorsPrintOffsetsInHex() {
    #expect(
      CyrusDBError(.badPointer, offset: 4096, detail: "x").description
        == "badPointer at offset 0x1000: x")
  }
}
