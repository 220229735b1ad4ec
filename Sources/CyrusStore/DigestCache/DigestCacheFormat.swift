import Crypto

/// The layout of a digest cache file (limits, and what damage does: docs/limits.md). Integers are
/// big-endian (the identity's lengths are unsigned LEB128 varints).
///
/// | part | fields |
/// |---|---|
/// | header | magic `CYFODGC\n`, version u16, digest function u8 (1: SHA-256), nonce (16 random bytes), run u64, identity length u32 and identity, check (16) |
/// | block (repeated) | tag `B`, payload length u32, record count u32, payload, check (16) |
/// | trailer | tag `E`, blocks u64, records u64, files u64, bytes u64, check (16) |
///
/// A check is a ``CacheCheck`` (16 bytes) keyed by the nonce and the block's index (the header
/// and trailer use none) over the part's bytes before it: a block flipped, cut, moved or taken
/// from another cache file fails it. (Version 1 used SHA-256: a check guards against damage,
/// not against whoever may write the file, and SHA-256 cost a tenth of an incremental run's
/// reading.) A record in a payload (version 2; version 1 had varints):
///
/// | bytes | field |
/// |---|---|
/// | 2 | area index |
/// | 2 | bytes of the path shared with the record before it in the block (0 for the first) |
/// | 2 | bytes of the path after those |
/// | 8, 8, 8 | device, inode, size |
/// | 8, 4 | mtime seconds (two's complement), nanoseconds |
/// | 8, 4 | ctime likewise |
/// | 8 | last run |
/// | 32 | digest |
/// | (rest) | the path after the shared bytes |
///
/// Fixed offsets make decoding a few loads per record (varints were most of the reader's time,
/// for every file of the spool on every run). Records are in canonical order (area, then path),
/// strictly increasing.
enum DigestCacheFormat {
  static let magic: [UInt8] = Array("CYFODGC\n".utf8)
  static let version: UInt16 = 2
  /// The digest function code: SHA-256, 32 bytes.
  static let sha256: UInt8 = 1
  static let digestBytes = 32
  static let nonceBytes = 16
  static let checkBytes = 16
  /// magic, version, function, nonce, run, identity length.
  static let fixedHeaderBytes = 8 + 2 + 1 + 16 + 8 + 4
  /// tag, payload length, record count.
  static let blockHeaderBytes = 1 + 4 + 4
  /// tag, four u64, check.
  static let trailerBytes = 1 + 32 + 16
  static let blockTag: UInt8 = 0x42  // "B"
  static let endTag: UInt8 = 0x45  // "E"
  /// Largest identity read (paths of an instance's areas).
  static let identityLimit = 1 << 20
  /// A block is written once its payload reaches this many bytes.
  static let blockTarget = 64 << 10
  /// Largest block payload read.
  static let blockLimit = 4 << 20
  /// Longest path in a record (its lengths are u16; Linux PATH_MAX is 4096). A longer one is
  /// not cached: that file is read every run.
  static let pathLimit = Int(UInt16.max)

  /// The check of a part: ``CacheCheck`` keyed by the nonce and the index (when given) over
  /// the part's bytes.
  static func check(nonce: [UInt8], index: UInt64?, _ parts: ArraySlice<UInt8>...) -> [UInt8] {
    var check = CacheCheck(nonce: nonce, index: index)
    for part in parts { check.update(part) }
    return check.finish()
  }

  /// The cache file's name for an instance: its identity's SHA-256, 32 hex digits.
  static func fileName(for identity: DigestCacheIdentity) -> String {
    let digits = Array("0123456789abcdef".utf8)
    let hash = SHA256.hash(data: identity.encoded).prefix(16)
    var name: [UInt8] = []
    for byte in hash {
      name.append(digits[Int(byte >> 4)])
      name.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: name, as: UTF8.self) + ".digests"
  }
}
