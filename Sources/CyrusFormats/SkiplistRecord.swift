/// One skiplist record (3.6.1 lib/cyrusdb_skiplist.c:329-420; same layout since 2.2).
/// All integers big-endian u32; key and data are padded with zeros to multiples of 4.
///
/// | type | layout |
/// |---|---|
/// | DUMMY 257, INORDER 1, ADD 2 | type, keylen, key, datalen, data, ptr[level], 0xFFFFFFFF |
/// | DELETE 4 | type, offset of the record whose key is deleted |
/// | COMMIT 255 | type |
struct SkiplistRecord {
  static let inorder: UInt32 = 1
  static let add: UInt32 = 2
  static let delete: UInt32 = 4
  static let commit: UInt32 = 255
  static let dummy: UInt32 = 257
  static let terminator: UInt32 = 0xFFFF_FFFF

  var offset: Int
  var type: UInt32
  var key: [UInt8] = []
  /// The value; empty when the record was read without it (``read(at:maxLevel:from:readingValue:)``).
  var value: [UInt8] = []
  /// Where the value lies in the file, and its length, whether it was read or not.
  var valueOffset = 0
  var valueLength = 0
  /// Number of forward pointers (DUMMY, INORDER, ADD).
  var level = 0
  /// For DELETE: the offset of the record being deleted.
  var target = 0
  var length: Int

  static func roundUp4(_ n: Int) -> Int { (n + 3) & ~3 }

  /// Reads the record at `offset`; `maxLevel` bounds the pointer scan. Without `readingValue`
  /// the value is only located (``valueOffset``, ``valueLength``): the log replay holds log
  /// records until their end, and a value of up to 64 MiB may lie in a hole of a sparse file.
  static func read<S>(
    at offset: Int, maxLevel: Int, from window: inout ByteWindow<S>, readingValue: Bool = true
  ) throws -> Self {
    let size = window.count
    guard offset % 4 == 0, offset >= SkiplistHeader.size, offset < size else {
      throw CyrusDBError(
        .badPointer, offset: offset, detail: "record offset not 4-aligned inside the file")
    }
    guard offset <= size - 4 else {
      throw CyrusDBError(.truncated, offset: offset, detail: "record type needs 4 bytes")
    }
    let type = try window.uint32(at: offset)
    switch type {
    case commit:
      return SkiplistRecord(offset: offset, type: type, length: 4)
    case delete:
      var c = ByteCursor(
        try window.bytes(at: offset, count: min(8, size - offset)), baseOffset: offset)
      try c.skip(4)
      let target = Int(try c.readUInt32())
      return SkiplistRecord(offset: offset, type: type, target: target, length: 8)
    case inorder, add, dummy:
      return try readKeyed(
        at: offset, type: type, maxLevel: maxLevel, from: &window, readingValue: readingValue)
    default:
      throw CyrusDBError(.badRecordType, offset: offset, detail: "record type \(type)")
    }
  }

  private static func readKeyed<S>(
    at offset: Int, type: UInt32, maxLevel: Int, from window: inout ByteWindow<S>,
    readingValue: Bool
  ) throws -> Self {
    let size = window.count
    var position = offset + 4
    func lengthField(limit: Int, name: String) throws -> Int {
      let n = Int(try window.uint32(at: position))
      guard n <= limit else {
        throw CyrusDBError(.lengthLimit, offset: position, detail: "\(name) \(n) > limit \(limit)")
      }
      position += 4
      guard roundUp4(n) <= size - position else {
        throw CyrusDBError(
          .truncated, offset: position, detail: "\(name) \(n) runs past end of file")
      }
      return n
    }
    let keyLength = try lengthField(limit: CyrusDBLimits.maxKeyLength, name: "keylen")
    let key = Array(try window.bytes(at: position, count: keyLength))
    position += roundUp4(keyLength)
    let valueLength = try lengthField(limit: CyrusDBLimits.maxValueLength, name: "datalen")
    let valueOffset = position
    let value = readingValue ? Array(try window.bytes(at: position, count: valueLength)) : []
    position += roundUp4(valueLength)
    let words = min(maxLevel + 1, (size - position) / 4)
    var c = ByteCursor(try window.bytes(at: position, count: words * 4), baseOffset: position)
    var level = 0
    while true {
      guard c.remaining >= 4 else {
        throw CyrusDBError(
          .badPadding, offset: c.offset,
          detail: "no 0xFFFFFFFF after at most \(maxLevel) pointers")
      }
      if try c.readUInt32() == terminator { break }
      level += 1
    }
    guard level >= 1 else {
      throw CyrusDBError(.badPadding, offset: position, detail: "record with no pointers")
    }
    return SkiplistRecord(
      offset: offset, type: type, key: key, value: value, valueOffset: valueOffset,
      valueLength: valueLength, level: level, length: c.offset - offset)
  }
}
