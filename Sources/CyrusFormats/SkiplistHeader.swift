/// The 48-byte header of a skiplist file, format 1.2, unchanged from Cyrus 2.2 to 3.6
/// (3.6.1 lib/cyrusdb_skiplist.c:283-305 and `read_header` :510; 2.2.13
/// cyrus/lib/cyrusdb_skiplist.c:75-420). All integers big-endian u32.
///
/// | off | size | field |
/// |---|---|---|
/// | 0 | 20 | magic |
/// | 20 | 4 | version (must be 1) |
/// | 24 | 4 | version_minor (2) |
/// | 28 | 4 | maxlevel (≤ 20) |
/// | 32 | 4 | curlevel (≤ maxlevel) |
/// | 36 | 4 | listsize: live records |
/// | 40 | 4 | logstart: end of the INORDER section |
/// | 44 | 4 | last_recovery (time_t) |
public struct SkiplistHeader: Hashable, Sendable {
  static let size = 48  // skiplist.c HEADER_SIZE
  static let supportedVersion: UInt32 = 1  // skiplist.c SKIPLIST_VERSION
  static let maxLevelLimit: UInt32 = 20  // skiplist.c SKIPLIST_MAXLEVEL

  public var version: UInt32
  public var versionMinor: UInt32
  public var maxLevel: UInt32
  public var curLevel: UInt32
  public var listSize: UInt32
  public var logStart: UInt32
  public var lastRecovery: UInt32

  /// Size of the DUMMY record: type, keylen, datalen, maxlevel pointers, terminator.
  /// Unit: bytes (skiplist.c DUMMY_SIZE).
  public var dummySize: Int { 4 * (3 + Int(maxLevel) + 1) }

  /// Parses and checks the header as `read_header` does: magic, version 1, maxlevel ≤ 20,
  /// curlevel ≤ maxlevel.
  public init(_ bytes: [UInt8]) throws {
    var c = try DatabaseHeaderPrologue.cursor(
      bytes, size: Self.size, magic: CyrusDBKind.skiplistMagic, name: "skiplist")
    version = try c.readUInt32()
    versionMinor = try c.readUInt32()
    maxLevel = try c.readUInt32()
    curLevel = try c.readUInt32()
    listSize = try c.readUInt32()
    logStart = try c.readUInt32()
    lastRecovery = try c.readUInt32()
    guard version == Self.supportedVersion else {
      throw CyrusDBError(
        .unsupportedVersion, offset: 20,
        detail: "skiplist version \(version).\(versionMinor), expected 1")
    }
    guard maxLevel <= Self.maxLevelLimit, maxLevel >= 1 else {
      throw CyrusDBError(.badHeader, offset: 28, detail: "maxlevel \(maxLevel) not in 1…20")
    }
    guard curLevel <= maxLevel else {
      throw CyrusDBError(
        .badHeader, offset: 32, detail: "curlevel \(curLevel) > maxlevel \(maxLevel)")
    }
  }
}
