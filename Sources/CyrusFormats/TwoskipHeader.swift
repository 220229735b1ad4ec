/// The 64-byte header of a twoskip file (3.6.1 lib/cyrusdb_twoskip.c:406-470, `read_header`;
/// format unchanged since 2.5.0). All integers big-endian.
///
/// | off | size | field |
/// |---|---|---|
/// | 0 | 20 | magic |
/// | 20 | 4 | version |
/// | 24 | 8 | generation |
/// | 32 | 8 | num_records |
/// | 40 | 8 | repack_size |
/// | 48 | 8 | current_size |
/// | 56 | 4 | flags |
/// | 60 | 4 | crc32 of bytes 0–59 |
public struct TwoskipHeader: Hashable, Sendable {
  static let size = 64  // twoskip.c HEADER_SIZE
  static let crcOffset = 60  // twoskip.c OFFSET_CRC32
  static let supportedVersion: UInt32 = 1  // twoskip.c VERSION
  static let dirtyFlag: UInt32 = 1  // twoskip.c DIRTY

  public var version: UInt32
  public var generation: UInt64
  public var numRecords: UInt64
  public var repackSize: UInt64
  /// The committed end of the file: anything at or after it belongs to an unfinished
  /// transaction and is ignored.
  public var currentSize: UInt64
  public var flags: UInt32

  /// A write transaction was in progress when the header was last written.
  public var isDirty: Bool { flags & Self.dirtyFlag != 0 }

  /// Parses and verifies the header: magic, version ≤ 1, CRC.
  public init(_ bytes: [UInt8]) throws {
    var c = try DatabaseHeaderPrologue.cursor(
      bytes, size: Self.size, magic: CyrusDBKind.twoskipMagic, name: "twoskip")
    version = try c.readUInt32()
    generation = try c.readUInt64()
    numRecords = try c.readUInt64()
    repackSize = try c.readUInt64()
    currentSize = try c.readUInt64()
    flags = try c.readUInt32()
    let stored = try c.readUInt32()
    guard version <= Self.supportedVersion else {
      throw CyrusDBError(
        .unsupportedVersion, offset: 20, detail: "twoskip version \(version), expected 1")
    }
    let computed = CRC32.checksum(bytes[0..<Self.crcOffset])
    guard computed == stored else {
      throw CyrusDBError(
        .headerChecksum, offset: Self.crcOffset,
        detail: "stored \(hex(stored)), computed \(hex(computed))")
    }
  }
}
