import CyrusFormats

/// The framing of records from `cyrus-failover read-berkeley-db` to the process that started it,
/// on the child's standard output, in stored order:
///
/// | frame | bytes |
/// |---|---|
/// | record | `R` (0x52), key length (UInt32 big-endian), value length (UInt32 big-endian), key, value |
/// | end | `E` (0x45), record count (UInt64 big-endian); nothing may follow |
///
/// A stream without its end frame, or whose count differs from the records sent, was cut short.
public enum BerkeleyRecordStream {
  /// Tag of a record frame.
  static let recordTag: UInt8 = 0x52  // "R"
  /// Tag of the end frame.
  static let endTag: UInt8 = 0x45  // "E"
  /// Bytes of a record frame before its key: tag and two lengths.
  static let recordHeaderBytes = 9
  /// Bytes of the end frame.
  static let endBytes = 9
  /// Largest key or value, in bytes: BerkeleyDatabase.defaultMaximumItemBytes (16 MiB), the
  /// most the in-process reader hands out.
  public static let maximumItemBytes = 16 << 20

  /// The frame of one record.
  public static func recordFrame(_ record: CyrusDBRecord) -> [UInt8] {
    precondition(
      record.key.count <= maximumItemBytes && record.value.count <= maximumItemBytes,
      "the in-process reader hands out no item over BerkeleyRecordStream.maximumItemBytes")
    var frame: [UInt8] = [recordTag]
    frame.reserveCapacity(recordHeaderBytes + record.key.count + record.value.count)
    appendBigEndian(UInt64(record.key.count), bytes: 4, to: &frame)
    appendBigEndian(UInt64(record.value.count), bytes: 4, to: &frame)
    frame += record.key
    frame += record.value
    return frame
  }

  /// The end frame after `count` records.
  public static func endFrame(count: UInt64) -> [UInt8] {
    var frame: [UInt8] = [endTag]
    appendBigEndian(count, bytes: 8, to: &frame)
    return frame
  }

  private static func appendBigEndian(_ value: UInt64, bytes: Int, to frame: inout [UInt8]) {
    for shift in stride(from: (bytes - 1) * 8, through: 0, by: -8) {
      frame.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
    }
  }
}

/// Splits a ``BerkeleyRecordStream`` into records as its bytes arrive, holding at most one frame
/// and one chunk read from the pipe.
struct BerkeleyRecordDecoder {
  /// What a complete frame is.
  enum Event: Equatable {
    case record(CyrusDBRecord)
    case end(count: UInt64)
  }

  /// Why the stream cannot be decoded.
  struct Malformed: Error {
    var detail: String
  }

  private var buffer: [UInt8] = []
  private var start = 0
  /// Records decoded so far.
  private(set) var records: UInt64 = 0
  /// The count the end frame gave, once it came.
  private(set) var endCount: UInt64?
  /// Bytes decoded so far (the offset in the stream, for messages).
  private(set) var consumed = 0

  /// Adds bytes read from the pipe.
  mutating func append(_ bytes: some Collection<UInt8>) {
    if start > 0 && start >= buffer.count / 2 {
      buffer.removeFirst(start)
      start = 0
    }
    buffer += bytes
  }

  /// The next complete frame, or nil when more bytes are needed.
  mutating func next() throws(Malformed) -> Event? {
    let available = buffer.count - start
    guard available > 0 else { return nil }
    if endCount != nil {
      throw Malformed(detail: "\(available) bytes after the end frame at offset \(hex(consumed))")
    }
    switch buffer[start] {
    case BerkeleyRecordStream.endTag:
      guard available >= BerkeleyRecordStream.endBytes else { return nil }
      let count = bigEndian(at: start + 1, bytes: 8)
      take(BerkeleyRecordStream.endBytes)
      endCount = count
      return .end(count: count)
    case BerkeleyRecordStream.recordTag:
      guard available >= BerkeleyRecordStream.recordHeaderBytes else { return nil }
      let keyCount = Int(bigEndian(at: start + 1, bytes: 4))
      let valueCount = Int(bigEndian(at: start + 5, bytes: 4))
      let limit = BerkeleyRecordStream.maximumItemBytes
      guard keyCount <= limit, valueCount <= limit else {
        throw Malformed(
          detail: "a record at offset \(hex(consumed)) claims \(keyCount) + \(valueCount) bytes, "
            + "over the limit of \(limit)")
      }
      let total = BerkeleyRecordStream.recordHeaderBytes + keyCount + valueCount
      guard available >= total else { return nil }
      let keyStart = start + BerkeleyRecordStream.recordHeaderBytes
      let record = CyrusDBRecord(
        key: Array(buffer[keyStart..<keyStart + keyCount]),
        value: Array(buffer[keyStart + keyCount..<keyStart + keyCount + valueCount]))
      take(total)
      records += 1
      return .record(record)
    case let tag:
      throw Malformed(detail: "unknown frame tag \(hex(Int(tag))) at offset \(hex(consumed))")
    }
  }

  /// Bytes received but not yet a complete frame.
  var pendingBytes: Int { buffer.count - start }

  private mutating func take(_ count: Int) {
    start += count
    consumed += count
  }

  private func bigEndian(at offset: Int, bytes: Int) -> UInt64 {
    var value: UInt64 = 0
    for index in offset..<offset + bytes { value = value << 8 | UInt64(buffer[index]) }
    return value
  }

  private func hex(_ value: Int) -> String { "0x" + String(value, radix: 16) }
}
