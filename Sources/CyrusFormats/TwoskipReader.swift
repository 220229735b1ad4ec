/// Reads a twoskip database (Cyrus 2.5.0 – 3.6, format version 1) by following level-0
/// pointers from the DUMMY record, the way `myconsistent` walks it
/// (3.6.1 lib/cyrusdb_twoskip.c:2114-2200).
///
/// Verified, all **fatal** (thrown as ``CyrusDBError``):
/// - header magic, version ≤ 1, header CRC; `current_size` inside the file;
/// - DUMMY record at offset 64;
/// - for every record on the chain: 8-byte alignment, offset below `current_size`, level ≤ 31,
///   lengths within ``CyrusDBLimits``, head CRC, tail CRC (key, value, padding), type RECORD
///   or DELETE;
/// - keys strictly increasing in ``keyOrder`` (memcmp order for 3.6 files);
/// - the walk terminates (at most `current_size / 8` steps).
///
/// **Non-fatal** (in the summary): `num_records` differing from the records found.
///
/// The level-0 pointer rule ignores everything an unfinished transaction wrote, so a file with
/// the DIRTY flag is read as of its last commit. ``verifyLayout()`` additionally scans the file
/// sequentially (skipping BLANK padding) to check that every byte up to `current_size` belongs
/// to a record with valid CRCs.
public struct TwoskipReader<Source: RandomAccessBytes>: CyrusDBReader {
  public let source: Source
  public let header: TwoskipHeader
  public let keyOrder: CyrusKeyOrder
  static var dummyOffset: Int { TwoskipHeader.size }  // twoskip.c DUMMY_OFFSET

  /// Reads and verifies the header.
  public init(_ source: Source, keyOrder: CyrusKeyOrder = .raw) throws {
    self.source = source
    self.keyOrder = keyOrder
    let size = min(source.count, TwoskipHeader.size)
    header = try TwoskipHeader(try source.bytes(at: 0, count: size))
    guard header.currentSize <= UInt64(source.count) else {
      throw CyrusDBError(
        .truncated, offset: source.count,
        detail: "file has \(source.count) bytes, header current_size is \(header.currentSize)")
    }
    guard header.currentSize > UInt64(Self.dummyOffset) else {
      throw CyrusDBError(
        .badHeader, offset: 48, detail: "current_size \(header.currentSize) leaves no DUMMY")
    }
  }

  var end: Int { Int(header.currentSize) }

  @discardableResult
  public func forEachRecord(_ body: (CyrusDBRecord) throws -> Void) throws -> CyrusDBScanSummary {
    var window = ByteWindow(source)
    var summary = CyrusDBScanSummary()
    let dummy = try TwoskipRecord.read(at: Self.dummyOffset, end: end, from: &window)
    guard dummy.type == TwoskipRecord.dummy else {
      throw CyrusDBError(
        .badRecordType, offset: Self.dummyOffset, detail: "first record is not DUMMY")
    }
    var next = dummy.levelZeroNext(end: end)
    var previousKey: [UInt8]? = nil
    var steps = 0
    var deletes = DeleteRunCheck()
    while next != 0 {
      steps += 1
      guard steps <= end / 8, next < UInt64(end) else {
        throw CyrusDBError(
          .badPointer, offset: next < UInt64(Int.max) ? Int(next) : nil,
          detail: steps > end / 8 ? "pointer loop" : "pointer at or past current_size \(hex(end))")
      }
      let record = try TwoskipRecord.read(at: Int(next), end: end, from: &window)
      switch record.type {
      case TwoskipRecord.delete:
        try deletes.visit(record.offset)
        next = record.nextloc[0]
      case TwoskipRecord.record:
        deletes = DeleteRunCheck()
        let (key, value) = try record.body(from: &window)
        if let previousKey, keyOrder.compare(previousKey, key) >= 0 {
          throw CyrusDBError(
            .outOfOrder, offset: record.offset,
            detail: "key \(printable(key)) does not sort after \(printable(previousKey))")
        }
        previousKey = key
        try body(CyrusDBRecord(key: key, value: value, offset: record.offset))
        summary.recordCount += 1
        next = record.levelZeroNext(end: end)
      default:
        throw CyrusDBError(
          .badRecordType, offset: record.offset,
          detail: "type \(hex(record.type)) on the level-0 chain")
      }
    }
    if UInt64(summary.recordCount) != header.numRecords {
      summary.warn(
        CyrusDBError(
          .countMismatch, offset: 32,
          detail: "header num_records \(header.numRecords), found \(summary.recordCount)"))
    }
    return summary
  }
}

/// Finds a loop among consecutive DELETE records of the level-0 chain (Brent's cycle
/// detection: one remembered offset, moved at doubling step counts), in at most twice as many
/// steps as the run has distinct records, with no memory per record.
///
/// A loop through a RECORD is caught by the key order (a key seen again does not sort after
/// the previous one); a loop of DELETEs alone has no key, and the step bound `current_size / 8`
/// alone would let a sparse file with a huge apparent size spin for hours.
struct DeleteRunCheck {
  private var mark: Int?
  private var power = 1
  private var run = 0

  /// Records that the chain reached the DELETE at `offset`; throws when it was reached before.
  mutating func visit(_ offset: Int) throws {
    if offset == mark {
      throw CyrusDBError(
        .badPointer, offset: offset, detail: "pointer loop through DELETE records")
    }
    run += 1
    if run == power {
      mark = offset
      power *= 2
      run = 0
    }
  }
}

/// Counts from ``TwoskipReader/verifyLayout()``.
public struct TwoskipLayout: Hashable, Sendable {
  public var records = 0
  public var deletes = 0
  public var commits = 0
  public var blanks = 0
}

extension TwoskipReader {
  /// Scans from the DUMMY to `current_size` in file order, as Cyrus's `dump` and `recovery2`
  /// do: each 8-byte BLANK is skipped, every other position must hold a record whose head and
  /// tail CRCs match, and the last record must end exactly at `current_size`. Throws on the
  /// first damage.
  public func verifyLayout() throws -> TwoskipLayout {
    var window = ByteWindow(source)
    var layout = TwoskipLayout()
    var offset = Self.dummyOffset
    while offset < end {
      if end - offset >= 8, try window.bytes(at: offset, count: 8) == TwoskipRecord.blank {
        layout.blanks += 1
        offset += 8
        continue
      }
      let record = try TwoskipRecord.read(at: offset, end: end, from: &window)
      _ = try record.body(from: &window)
      switch record.type {
      case TwoskipRecord.dummy where offset == Self.dummyOffset: break
      case TwoskipRecord.record: layout.records += 1
      case TwoskipRecord.delete: layout.deletes += 1
      case TwoskipRecord.commit: layout.commits += 1
      default:
        throw CyrusDBError(
          .badRecordType, offset: offset, detail: "type \(hex(record.type)) in sequential scan")
      }
      offset += record.length
    }
    return layout
  }
}

/// A key or value for an error message: printable ASCII kept, other bytes as `\xNN`, cut at
/// 80 bytes.
func printable(_ bytes: [UInt8]) -> String {
  var s = "\""
  for b in bytes.prefix(80) {
    if b >= 0x20, b < 0x7F, b != 0x22, b != 0x5C {
      s.unicodeScalars.append(Unicode.Scalar(b))
    } else {
      s += "\\x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
    }
  }
  return s + (bytes.count > 80 ? "…\"" : "\"")
}

extension TwoskipReader: Sendable where Source: Sendable {}
