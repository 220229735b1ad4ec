/// The opening checks that the skiplist and twoskip headers share: enough bytes for the header,
/// then the 20-byte magic; returns a cursor past the magic.
enum DatabaseHeaderPrologue {
  /// Checks `bytes` holds a `size`-byte header starting with `magic` (a `name` file).
  static func cursor(_ bytes: [UInt8], size: Int, magic: [UInt8], name: String) throws -> ByteCursor
  {
    guard bytes.count >= size else {
      throw CyrusDBError(
        .truncated, offset: bytes.count,
        detail: "\(name) header needs \(size) bytes, file has \(bytes.count)")
    }
    guard bytes[0..<magic.count].elementsEqual(magic) else {
      throw CyrusDBError(.badMagic, offset: 0, detail: "not a \(name) file")
    }
    var cursor = ByteCursor(Array(bytes[0..<size]))
    try cursor.skip(magic.count)
    return cursor
  }
}
