import Testing

@testable import CyrusFormats

/// Damage applied to the real files: one change at a time, every result checked.
@Suite("Damaged real files")
struct CorpusDamageTests {
  /// twoskip covers every byte below current_size with a CRC (BLANKs are checked by pattern),
  /// so any single flipped bit is found by the pointer walk or the sequential scan.
  @Test(arguments: ["mailboxes.twoskip.db", "bert.seen.twoskip.db", "annotations.twoskip.db"])
  func everyFlippedTwoskipByteIsDetected(name: String) throws {
    let good = try Corpus.file(name)
    let end = Int(try TwoskipReader(good).header.currentSize)
    var undetected: [Int] = []
    for offset in 0..<end {
      var bad = good
      bad[offset] ^= 0x10
      if dbError({ try TwoskipReader(bad).forEachRecord { _ in } }) != nil { continue }
      if dbError({ _ = try TwoskipReader(bad).verifyLayout() }) == nil { undetected.append(offset) }
    }
    #expect(undetected == [])
  }

  @Test(arguments: ["mailboxes.twoskip.db", "mailboxes.skiplist.db", "mailboxes.flat.db"])
  func truncationIsReportedNotCrashed(name: String) throws {
    let good = try Corpus.file(name)
    for length in stride(from: 0, to: good.count, by: 61) {
      let cut = Array(good[..<length])
      var error: CyrusDBError? = nil
      var warnings: [CyrusDBError] = []
      do {
        switch CyrusDBKind.detect(good) {
        case .twoskip: warnings = try TwoskipReader(cut).forEachRecord { _ in }.warnings
        case .skiplist: warnings = try SkiplistReader(cut).forEachRecord { _ in }.warnings
        default: warnings = try FlatReader(cut).forEachRecord { _ in }.warnings
        }
      } catch let e as CyrusDBError {
        error = e
      }
      // A cut skiplist loses only its uncommitted tail; the other two must fail.
      if CyrusDBKind.detect(good) == .skiplist && length >= 144 {
        #expect(error != nil || warnings.map(\.kind).contains(.uncommittedTail), "length \(length)")
      } else if length > 0 && !(CyrusDBKind.detect(good) == .flat && cut.last == 0x0A) {
        // (a flat file cut right after a LF is a valid, shorter file)
        #expect(error != nil, "length \(length)")
      }
    }
  }

  /// Skiplist and flat carry no checksums: a flipped byte need not be detected, but it must never
  /// crash the reader. A damaged type word or COMMIT turns the skiplist's whole log transaction
  /// into an uncommitted tail (Cyrus's recovery drops it too), which is reported as a warning;
  /// a result without warnings keeps the record count within the two records one byte can touch.
  @Test(arguments: ["mailboxes.skiplist.db", "mailboxes.flat.db", "bert.sub.flat.db"])
  func flippedBytesNeverCrash(name: String) throws {
    let good = try Corpus.file(name)
    let expected = try Corpus.records(name).1.count
    var warned = 0
    for offset in stride(from: 0, to: good.count, by: 3) {
      var bad = good
      bad[offset] ^= 0x81
      let summary = try? {
        if name.contains("skiplist") { return try SkiplistReader(bad).forEachRecord { _ in } }
        return try FlatReader(bad).forEachRecord { _ in }
      }()
      guard let summary else { continue }
      if summary.warnings.isEmpty {
        #expect(abs(summary.recordCount - expected) <= 2, "offset \(offset)")
      } else {
        warned += 1
      }
    }
    #expect(warned > 0)
  }
}
