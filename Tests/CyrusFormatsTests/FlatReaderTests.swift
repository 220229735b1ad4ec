import Testing

@testable import CyrusFormats

@Suite("FlatReader")
struct FlatReaderTests {
  @Test func decodesEscapesRoundTrip() throws {
    let key: [UInt8] = [0x41, 0x00, 0x09, 0x0D, 0x0A, 0xFF, 0x42]
    let file = flatFile([(key, [0xFF, 0x0A])])
    #expect(
      file == [
        0x41, 0xFF, 0x80, 0xFF, 0x89, 0xFF, 0x8D, 0xFF, 0x8A, 0xFF, 0xFF, 0x42, 0x09, 0xFF, 0xFF,
        0xFF, 0x8A, 0x0A,
      ])
    let (records, summary) = try FlatReader(file).allRecords()
    #expect(records == [CyrusDBRecord(key: key, value: [0xFF, 0x0A])])
    #expect(summary == CyrusDBScanSummary(recordCount: 1))
  }

  @Test func rawTwoTwoFileKeepsTabsInValue() throws {
    let file = ascii(
      "user.fred\t0 default fred\tlrswipcda\t\nuser.fred.Sent\t0 default fred\tlrswipcda\t\n")
    let (records, summary) = try FlatReader(file, escaping: .none).allRecords()
    #expect(
      pairs(records) == [
        ["user.fred", "0 default fred\tlrswipcda\t"],
        ["user.fred.Sent", "0 default fred\tlrswipcda\t"],
      ])
    #expect(summary.warnings.isEmpty)
    #expect(records.map(\.offset) == [0, 36])
  }

  @Test func subscriptionFileOf36() throws {
    let file = ascii("\u{1F}VER\u{1F}\t2\nNINBOX\u{1F}Sent\t\nNshared\u{1F}announcements\t\n")
    let (records, summary) = try FlatReader(file).allRecords()
    #expect(
      pairs(records) == [
        ["\u{1F}VER\u{1F}", "2"], ["NINBOX\u{1F}Sent", ""], ["Nshared\u{1F}announcements", ""],
      ])
    #expect(summary.warnings.isEmpty)
  }

  @Test func emptyFileIsEmptyDatabase() throws {
    #expect(try FlatReader([UInt8]()).allRecords().records.isEmpty)
  }

  @Test func mailboxOrderSortsDotFirst() throws {
    let file = ascii("user.fred\tx\nuser.fred.Sent\tx\nuser.fred-x\tx\n")
    #expect(try FlatReader(file).forEachRecord { _ in }.warnings.isEmpty)
    let bad = ascii("user.fred-x\tx\nuser.fred.Sent\tx\n")
    let summary = try FlatReader(bad).forEachRecord { _ in }
    #expect(summary.recordCount == 2)
    #expect(
      summary.warnings == [
        CyrusDBError(
          .outOfOrder, offset: 14,
          detail: "key \"user.fred.Sent\" does not sort after \"user.fred-x\"")
      ])
  }

  @Test func lineWithoutTabIsFatal() {
    let e = dbError { try FlatReader(ascii("a\t1\nbroken\n")).forEachRecord { _ in } }
    #expect(e == CyrusDBError(.malformedLine, offset: 4, detail: "line without TAB"))
  }

  @Test func missingFinalNewlineIsTruncated() {
    let e = dbError { try FlatReader(ascii("a\t1\nb\t2")).forEachRecord { _ in } }
    #expect(e?.kind == .truncated)
    #expect(e?.offset == 4)
  }

  @Test func invalidEscapeAndNulAreWarnings() throws {
    let file: [UInt8] = [0x61, 0xFF, 0x41, 0x09, 0x00, 0xFF, 0x0A]
    let (records, summary) = try FlatReader(file).allRecords()
    #expect(records == [CyrusDBRecord(key: [0x61, 0x41], value: [0x00])])
    #expect(summary.warnings.map(\.kind) == [.malformedLine, .malformedLine, .malformedLine])
  }

  @Test func readsAcrossChunkBoundaries() throws {
    let many = (0..<5000).map {
      (ascii(String(format5($0))), ascii(String(repeating: "v", count: 30)))
    }
    let (records, summary) = try FlatReader(flatFile(many)).allRecords()
    #expect(records.count == 5000)
    #expect(records.last?.key == ascii("04999"))
    #expect(summary.warnings.isEmpty)
  }

  func format5(_ n: Int) -> String {
    let s = String(n)
    return String(repeating: "0", count: 5 - s.count) + s
  }
}

@Suite("CyrusDBKind and helpers")
struct CyrusDBKindTests {
  static let berkeleyPad = [UInt8](repeating: 0, count: 12)
  static let detectCases: [([UInt8], CyrusDBKind)] = [
    (CyrusDBKind.skiplistMagic + [0, 0, 0, 1], .skiplist),
    (CyrusDBKind.twoskipMagic, .twoskip),
    (berkeleyPad + [0x00, 0x05, 0x31, 0x62, 0, 0, 0, 9], .berkeleyBtree),
    (berkeleyPad + [0x62, 0x31, 0x05, 0x00, 9, 0, 0, 0], .berkeleyBtree),
    (berkeleyPad + [0x00, 0x06, 0x15, 0x61], .berkeleyHash),
    (berkeleyPad + [0x61, 0x15, 0x06, 0x00], .berkeleyHash),
    (Array("user.fred\t0 default fred\tlrs\t\n".utf8), .flat),
    (Array("a\t1\n".utf8), .flat),
    ([], .empty),
  ]

  @Test(arguments: detectCases)
  func detectsBackend(prefix: [UInt8], kind: CyrusDBKind) {
    #expect(CyrusDBKind.detect(prefix) == kind)
  }

  @Test func crc32MatchesZlib() {
    #expect(CRC32.checksum(ascii("123456789")) == 0xCBF4_3926)
    #expect(CRC32.checksum([UInt8]()) == 0)
    #expect(
      CRC32.checksum(ascii("6789"), continuing: CRC32.checksum(ascii("12345"))) == 0xCBF4_3926)
    #expect(CRC32.checksum(ascii("The quick brown fox jumps over the lazy dog")) == 0x414F_A339)
  }

  /// Eight bytes at a time (contiguous bytes) and one at a time (any other collection) against
  /// the polynomial itself, bit by bit, at every alignment and length around a few blocks.
  @Test func crc32EightAtATimeEqualsBitByBit() {
    var state: UInt32 = 12345
    let bytes = (0..<200).map { _ -> UInt8 in
      state = state &* 1_103_515_245 &+ 12345
      return UInt8(truncatingIfNeeded: state >> 16)
    }
    func bitByBit(_ bytes: ArraySlice<UInt8>) -> UInt32 {
      var c: UInt32 = 0xFFFF_FFFF
      for byte in bytes {
        c ^= UInt32(byte)
        for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0xEDB8_8320 : c >> 1 }
      }
      return ~c
    }
    for start in 0..<9 {
      for count in 0..<40 {
        let slice = bytes[start..<(start + count)]
        #expect(CRC32.checksum(slice) == bitByBit(slice))
        #expect(CRC32.checksum(slice.lazy.map { $0 }) == bitByBit(slice))
      }
    }
    #expect(CRC32.checksum(bytes) == bitByBit(bytes[...]))
    #expect(
      CRC32.checksum(bytes[100...], continuing: CRC32.checksum(bytes[..<100]))
        == bitByBit(bytes[...]))
  }

  @Test func byteCursorReadsBigEndianAndPeekDoesNotConsume() throws {
    var c = ByteCursor(
      [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F],
      baseOffset: 0x100)
    #expect(try c.peekUInt32() == 0x0102_0304)
    #expect(try c.readUInt32() == 0x0102_0304)
    #expect(try c.readUInt16() == 0x0506)
    #expect(try c.readUInt64() == 0x0708_090A_0B0C_0D0E)
    #expect(c.remaining == 1)
    #expect(throws: CyrusDBError(.truncated, offset: 0x10E, detail: "need 4 bytes, 1 left")) {
      try c.readUInt32()
    }
    #expect(try c.readUInt8() == 0x0F)
  }

  @Test func arrayConformanceChecksRange() throws {
    let a: [UInt8] = [1, 2, 3]
    #expect(try a.bytes(at: 1, count: 2) == [2, 3])
    #expect(try a.bytes(at: 3, count: 0) == [])
    #expect(dbError { _ = try a.bytes(at: 2, count: 2) }?.kind == .truncated)
    #expect(dbError { _ = try a.bytes(at: -1, count: 1) }?.kind == .truncated)
  }

  @Test(arguments: [
    ("a", "b", CyrusKeyOrder.raw, -1), ("a", "ab", .raw, -1), ("\u{7F}", "\u{C0}", .raw, -1),
    ("\u{7F}", "\u{C0}", .signedChar, 1), ("a.b", "a-b", .mailbox, -1), ("a.b", "a-b", .raw, 1),
    ("same", "same", .mailbox, 0),
  ])
  func keyOrders(a: String, b: String, order: CyrusKeyOrder, sign: Int) {
    let c = order.compare(Array(a.utf8), Array(b.utf8))
    #expect(c.signum() == sign)
  }
}
