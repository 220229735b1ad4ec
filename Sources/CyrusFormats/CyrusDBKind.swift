/// The on-disk backend of a cyrusdb file, told from its first bytes
/// (`cyrusdb_detect`, 3.6.1 lib/cyrusdb.c:592; 2.4.17 lib/cyrusdb.c:215).
public enum CyrusDBKind: String, Hashable, Sendable {
  case skiplist
  case twoskip
  /// Berkeley DB btree (`berkeley`, `berkeley-nosync`), either byte order.
  case berkeleyBtree
  /// Berkeley DB hash (`berkeley-hash[-nosync]`), either byte order.
  case berkeleyHash
  /// No magic matched: Cyrus's flat text format is the fallback. Binary junk also lands here;
  /// ``FlatReader`` reports it.
  case flat
  /// A zero-length file (a valid empty flat database, or a file Cyrus never wrote to).
  case empty

  /// Bytes to pass to ``detect(_:)``: the longest magic plus the Berkeley magic field.
  public static let prefixLength = 20

  /// First 4 bytes shared by skiplist and twoskip magics.
  static let cyrusMagic: [UInt8] = [0xA1, 0x02, 0x8B, 0x0D]
  /// `"\241\002\213\015skiplist file\0\0\0"` (skiplist.c HEADER_MAGIC, 20 bytes).
  static let skiplistMagic: [UInt8] = cyrusMagic + Array("skiplist file".utf8) + [0, 0, 0]
  /// `"\241\002\213\015twoskip file\0\0\0\0"` (twoskip.c HEADER_MAGIC, 20 bytes).
  static let twoskipMagic: [UInt8] = cyrusMagic + Array("twoskip file".utf8) + [0, 0, 0, 0]
  /// Berkeley DB `DB_BTREEMAGIC` and `DB_HASHMAGIC` (db.h), stored in the creator's byte order
  /// at offset 12 of the meta page.
  static let btreeMagic: UInt32 = 0x0005_3162
  static let hashMagic: UInt32 = 0x0006_1561

  /// Detects the backend from the first ``prefixLength`` bytes (fewer if the file is shorter).
  public static func detect<C: Collection>(_ prefix: C) -> CyrusDBKind where C.Element == UInt8 {
    let head = Array(prefix.prefix(prefixLength))
    if head.isEmpty { return .empty }
    if head.count >= 16 {
      // lib/cyrusdb.c compares 16 bytes of each magic.
      if head[0..<16].elementsEqual(skiplistMagic[0..<16]) { return .skiplist }
      if head[0..<16].elementsEqual(twoskipMagic[0..<16]) { return .twoskip }
      let b = head[12..<16].map(UInt32.init)
      let bigEndian = b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
      let littleEndian = b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
      if bigEndian == btreeMagic || littleEndian == btreeMagic { return .berkeleyBtree }
      if bigEndian == hashMagic || littleEndian == hashMagic { return .berkeleyHash }
    }
    return .flat
  }
}
