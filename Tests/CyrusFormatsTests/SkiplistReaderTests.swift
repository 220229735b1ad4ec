import Testing

@testable import CyrusFormats

@Suite("SkiplistReader")
struct SkiplistReaderTests {
  @Test func readsCheckpointedFile() throws {
    let file = SkiplistFile.checkpoint([
      ("user.fred", "0 default fred\tlrswipcda\t"), ("user.joe", "0 default "),
    ])
    let reader = try SkiplistReader(file)
    let (records, summary) = try reader.allRecords()
    #expect(
      pairs(records) == [
        ["user.fred", "0 default fred\tlrswipcda\t"], ["user.joe", "0 default "],
      ])
    #expect(summary == CyrusDBScanSummary(recordCount: 2))
    #expect(reader.header.maxLevel == 20)
    #expect(reader.header.dummySize == 96)
  }

  @Test func replaysCommittedLog() throws {
    var f = SkiplistFile()
    let a = f.inorder("a", "1")
    _ = f.inorder("c", "3")
    let e = f.inorder("e", "5")
    let logStart = f.bytes.count
    f.add("b", "2")  // new key between INORDER keys
    f.delete(a)  // update of "a": DELETE + ADD
    f.add("a", "1'")
    f.commit()
    f.delete(e)
    f.add("z", "26")
    f.commit()
    f.finish(listSize: 5, logStart: logStart)
    let (records, summary) = try SkiplistReader(f.bytes).allRecords()
    #expect(pairs(records) == [["a", "1'"], ["b", "2"], ["c", "3"], ["z", "26"]])
    // listsize (5) is stale by design while a log exists: no warning.
    #expect(summary.warnings.isEmpty)
  }

  @Test func deleteOfAnAddedRecordRemovesIt() throws {
    var f = SkiplistFile()
    let logStart = f.bytes.count
    let b = f.keyed(2, "b", "2")
    f.commit()
    f.delete(b)
    f.commit()
    f.finish(listSize: 0, logStart: logStart)
    let (records, summary) = try SkiplistReader(f.bytes).allRecords()
    #expect(records.isEmpty)
    #expect(summary.warnings.isEmpty)
  }

  @Test func uncommittedTailIsIgnored() throws {
    var f = SkiplistFile()
    let a = f.inorder("a", "1")
    let logStart = f.bytes.count
    f.delete(a)
    let tail = f.bytes.count
    f.add("b", "2")
    f.finish(listSize: 1, logStart: logStart)
    let (records, summary) = try SkiplistReader(f.bytes).allRecords()
    #expect(pairs(records) == [["a", "1"]])
    #expect(
      summary.warnings == [
        CyrusDBError(
          .uncommittedTail, offset: logStart, detail: "2 log records without COMMIT ignored")
      ])
    // A record cut off mid-write is an uncommitted tail too.
    let cut = Array(f.bytes[..<(tail + 10)])
    let s2 = try SkiplistReader(cut).forEachRecord { _ in }
    #expect(s2.recordCount == 1)
    #expect(s2.warnings.map(\.kind) == [.uncommittedTail])
  }

  @Test func logStartMismatchAndListSizeAreWarnings() throws {
    var f = SkiplistFile()
    _ = f.inorder("a", "1")
    f.finish(listSize: 7, logStart: 48)
    let summary = try SkiplistReader(f.bytes).forEachRecord { _ in }
    #expect(summary.recordCount == 1)
    #expect(summary.warnings.map(\.kind) == [.logStartMismatch, .countMismatch])
  }

  @Test func duplicateAddAndMissingDeleteAreWarnings() throws {
    var f = SkiplistFile()
    let a = f.inorder("a", "1")
    let logStart = f.bytes.count
    f.add("a", "again")  // ADD of an existing key: Cyrus replaces
    f.commit()
    f.delete(a)
    f.delete(a)  // second DELETE of the same key: Cyrus skips
    f.commit()
    f.finish(listSize: 0, logStart: logStart)
    let (records, summary) = try SkiplistReader(f.bytes).allRecords()
    #expect(records.isEmpty)
    #expect(Set(summary.warnings.map(\.kind)) == [.duplicateAdd, .deleteOfMissingKey])
  }

  @Test func outOfOrderInorderSectionIsAWarning() throws {
    let file = SkiplistFile.checkpoint([("b", "2"), ("a", "1")])
    let (records, summary) = try SkiplistReader(file).allRecords()
    #expect(pairs(records) == [["b", "2"], ["a", "1"]])
    #expect(summary.warnings.map(\.kind) == [.outOfOrder])
  }

  @Test func signedCharOrderPutsHighBytesFirst() throws {
    let file = SkiplistFile.checkpoint([("\u{E9}", "high"), ("a", "low")])
    #expect(try SkiplistReader(file).forEachRecord { _ in }.warnings.isEmpty)
    #expect(
      try SkiplistReader(file, keyOrder: .raw).forEachRecord { _ in }.warnings.map(\.kind) == [
        .outOfOrder
      ])
  }

  @Test func zeroWordsInLogAreSkipped() throws {
    var f = SkiplistFile()
    let logStart = f.bytes.count
    f.add("a", "1")
    f.commit()
    f.finish(listSize: 1, logStart: logStart)
    let padded =
      Array(f.bytes[..<logStart]) + [UInt8](repeating: 0, count: 8) + Array(f.bytes[logStart...])
    let (records, summary) = try SkiplistReader(padded).allRecords()
    #expect(pairs(records) == [["a", "1"]])
    #expect(summary.warnings.map(\.kind) == [.zeroFill])
  }

  @Test func zeroLengthAndWrongMagic() {
    #expect(dbError { _ = try SkiplistReader([UInt8]()) }?.kind == .truncated)
    #expect(dbError { _ = try SkiplistReader(TwoskipFile.sorted([])) }?.kind == .badMagic)
  }

  @Test func headerLimits() {
    var f = SkiplistFile()
    f.finish(listSize: 0, logStart: 144, maxLevel: 21)
    #expect(dbError { _ = try SkiplistReader(f.bytes) }?.kind == .badHeader)
    f.finish(listSize: 0, logStart: 144, version: 2)
    #expect(dbError { _ = try SkiplistReader(f.bytes) }?.kind == .unsupportedVersion)
  }

  @Test(arguments: [50, 100, 150, 160, 170])
  func truncatedInorderSectionIsFatal(length: Int) throws {
    let file = SkiplistFile.checkpoint([("alpha", "one"), ("beta", "two")])
    try #require(length < file.count)
    let error = dbError { try SkiplistReader(Array(file[..<length])).forEachRecord { _ in } }
    #expect(error?.kind == .truncated || error?.kind == .badPadding)
  }

  @Test func missingTerminatorIsBadPadding() {
    var file = SkiplistFile.checkpoint([("k", "v")])
    file.replaceSubrange((file.count - 4)..<file.count, with: be32(0))
    #expect(dbError { try SkiplistReader(file).forEachRecord { _ in } }?.kind == .badPadding)
  }

  @Test func wrongDummyIsRejected() {
    var file = SkiplistFile.checkpoint([])
    file.replaceSubrange(48..<52, with: be32(1))
    #expect(dbError { try SkiplistReader(file).forEachRecord { _ in } }?.kind == .badRecordType)
  }

  @Test func inorderRecordInLogIsFatal() {
    var f = SkiplistFile()
    let logStart = f.bytes.count
    f.add("a", "1")
    _ = f.inorder("b", "2")
    f.commit()
    f.finish(listSize: 1, logStart: logStart)
    #expect(dbError { try SkiplistReader(f.bytes).forEachRecord { _ in } }?.kind == .badRecordType)
  }

  @Test func deletePointingNowhereIsBadPointer() {
    var f = SkiplistFile()
    let logStart = f.bytes.count
    f.delete(8)
    f.commit()
    f.finish(listSize: 0, logStart: logStart)
    #expect(dbError { try SkiplistReader(f.bytes).forEachRecord { _ in } }?.kind == .badPointer)
  }

  @Test func oversizedKeyLengthIsLimited() {
    var file = SkiplistFile.checkpoint([("k", "v")])
    file.replaceSubrange(148..<152, with: be32(0x7FFF_FFFF))
    #expect(dbError { try SkiplistReader(file).forEachRecord { _ in } }?.kind == .lengthLimit)
  }
}
