import Crypto

/// The layout of a digest cache file (docs/performance.md, "The digest cache"). All integers
/// big-endian or unsigned LEB128 varints.
///
/// | part | fields |
/// |---|---|
/// | header | magic `CYFODGC\n`, version u16, digest function u8 (1: SHA-256), nonce (16 random bytes), run u64, identity length u32 and identity, check (16) |
/// | block (repeated) | tag `B`, payload length u32, record count u32, payload, check (16) |
/// | trailer | tag `E`, blocks u64, records u64, files u64, bytes u64, check (16) |
///
/// A check is the first 16 bytes of SHA-256 over the nonce, the block's index (u64; the header
/// and trailer use none) and the part's bytes before it: a block flipped, cut, moved or taken
/// from another cache file fails it. A record in a payload: area index, shared path prefix with
/// the record before it in the block, the rest of the path (length and bytes), device, inode,
/// size, mtime seconds (zig-zag) and nanoseconds, ctime likewise, last run (varints), then the
/// 32-byte digest. Records are in canonical order (area, then path), strictly increasing.
enum DigestCacheFormat {
  static let magic: [UInt8] = Array("CYFODGC\n".utf8)
  static let version: UInt16 = 1
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
  /// Longest path in a record (Linux PATH_MAX is 4096; this leaves room).
  static let pathLimit = 1 << 16

  /// The check of a part: SHA-256 over nonce, index (when given) and bytes, cut to 16 bytes.
  static func check(nonce: [UInt8], index: UInt64?, _ parts: ArraySlice<UInt8>...) -> [UInt8] {
    var hasher = SHA256()
    hasher.update(data: nonce)
    if let index {
      var out = CacheByteWriter()
      out.fixed(index, width: 8)
      hasher.update(data: out.bytes)
    }
    for part in parts { hasher.update(data: part) }
    return Array(hasher.finalize().prefix(checkBytes))
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
