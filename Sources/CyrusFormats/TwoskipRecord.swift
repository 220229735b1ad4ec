/// One twoskip record head as stored (3.6.1 lib/cyrusdb_twoskip.c:582-670, `read_onerecord`).
///
/// | off | size | field |
/// |---|---|---|
/// | 0 | 1 | type: `=` DUMMY, `+` RECORD, `-` DELETE, `$` COMMIT |
/// | 1 | 1 | level (≤ 31) |
/// | 2 | 2 | keylen (0xFFFF: a u64 keylen follows) |
/// | 4 | 4 | vallen (0xFFFFFFFF: a u64 vallen follows) |
/// | 8 | 0/8/16 | optional u64 keylen, then optional u64 vallen |
/// | … | 8×(level+1) | nextloc[0…level] |
/// | … | 4 | crc32_head over all bytes before it |
/// | … | 4 | crc32_tail over key, value and padding |
/// | … | keylen + vallen | key, value, then zeros to a multiple of 8 |
struct TwoskipRecord {
  static let dummy = UInt8(ascii: "=")
  static let record = UInt8(ascii: "+")
  static let delete = UInt8(ascii: "-")
  static let commit = UInt8(ascii: "$")
  static let maxLevel = 31  // twoskip.c MAXLEVEL
  /// 8 bytes the writer inserts so a record head does not cross a 512-byte block
  /// (twoskip.c BLANK, 3.3.0+).
  static let blank: [UInt8] = [0x20, 0x42, 0x4C, 0x41, 0x4E, 0x4B, 0x07, 0xA0]

  var offset: Int
  var type: UInt8
  var level: Int
  var keyLength: Int
  var valueLength: Int
  var nextloc: [UInt64]
  var tailCRC: UInt32
  /// File offset of the key.
  var keyOffset: Int
  /// Total length including padding.
  var length: Int

  /// Bytes of key, value and padding.
  var bodyLength: Int { (keyLength + valueLength + 7) & ~7 }

  /// Reads and checks the head (lengths against limits and `end`, head CRC) at `offset`.
  static func read<S>(at offset: Int, end: Int, from window: inout ByteWindow<S>) throws -> Self {
    guard offset % 8 == 0, offset >= TwoskipHeader.size, offset < end else {
      throw CyrusDBError(
        .badPointer, offset: offset,
        detail: "record offset not 8-aligned inside [0x40, \(hex(end)))")
    }
    let available = min(end - offset, 8 * (TwoskipRecord.maxLevel + 5))  // MAXRECORDHEAD
    guard available >= 24 else {
      throw CyrusDBError(.truncated, offset: offset, detail: "record head needs 24 bytes")
    }
    var c = ByteCursor(try window.bytes(at: offset, count: available), baseOffset: offset)
    let type = try c.readUInt8()
    let level = Int(try c.readUInt8())
    var keyLength = UInt64(try c.readUInt16())
    var valueLength = UInt64(try c.readUInt32())
    guard level <= maxLevel else {
      throw CyrusDBError(.badRecordType, offset: offset + 1, detail: "level \(level) > 31")
    }
    if keyLength == 0xFFFF { keyLength = try c.readUInt64() }
    if valueLength == 0xFFFF_FFFF { valueLength = try c.readUInt64() }
    guard keyLength <= UInt64(CyrusDBLimits.maxKeyLength),
      valueLength <= UInt64(CyrusDBLimits.maxValueLength)
    else {
      throw CyrusDBError(
        .lengthLimit, offset: offset,
        detail: "keylen \(keyLength) / vallen \(valueLength) over the reader's limits")
    }
    var nextloc: [UInt64] = []
    for _ in 0...level { nextloc.append(try c.readUInt64()) }
    let headLength = c.position
    let headCRC = try c.readUInt32()
    let tailCRC = try c.readUInt32()
    let computed = CRC32.checksum(c.bytes[0..<headLength])
    guard computed == headCRC else {
      throw CyrusDBError(
        .recordHeadChecksum, offset: offset,
        detail: "stored \(hex(headCRC)), computed \(hex(computed))")
    }
    var record = TwoskipRecord(
      offset: offset, type: type, level: level, keyLength: Int(keyLength),
      valueLength: Int(valueLength), nextloc: nextloc, tailCRC: tailCRC,
      keyOffset: offset + c.position, length: 0)
    record.length = c.position + record.bodyLength
    guard record.length <= end - offset else {
      throw CyrusDBError(
        .truncated, offset: offset,
        detail: "record of \(record.length) bytes runs past the committed end \(hex(end))")
    }
    return record
  }

  /// Reads key and value and checks the tail CRC.
  func body<S>(from window: inout ByteWindow<S>) throws -> (key: [UInt8], value: [UInt8]) {
    let bytes = try window.bytes(at: keyOffset, count: bodyLength)
    let computed = CRC32.checksum(bytes)
    guard computed == tailCRC else {
      throw CyrusDBError(
        .recordTailChecksum, offset: offset,
        detail: "stored \(hex(tailCRC)), computed \(hex(computed))")
    }
    return (Array(bytes[0..<keyLength]), Array(bytes[keyLength..<(keyLength + valueLength)]))
  }

  /// The level-0 successor (`_getloc(db, rec, 0)`): of the two level-0 pointers, the one
  /// below `end` if only one is, else the larger.
  func levelZeroNext(end: Int) -> UInt64 {
    let a = nextloc[0]
    let b = nextloc.count > 1 ? nextloc[1] : 0
    let limit = UInt64(end)
    if a >= limit { return b }
    if b >= limit { return a }
    return max(a, b)
  }
}
