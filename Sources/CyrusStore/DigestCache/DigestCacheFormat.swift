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
  static func check(nonce: [UInt8], index: UInt64?, _ parts: [UInt8]...) -> [UInt8] {
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

  /// Appends one record to a block's payload; `previous` is the path of the record before it
  /// in the same block (empty for the first).
  static func encode(
    _ record: DigestCacheRecord, previous: [UInt8], into out: inout CacheByteWriter
  ) {
    precondition(record.digest.count == digestBytes, "a cached digest is SHA-256")
    var shared = 0
    let limit = min(previous.count, record.path.count)
    while shared < limit && previous[shared] == record.path[shared] { shared += 1 }
    out.varint(UInt64(record.area))
    out.varint(UInt64(shared))
    out.varint(UInt64(record.path.count - shared))
    out.raw(record.path[shared...])
    out.varint(record.key.device)
    out.varint(record.key.inode)
    out.varint(record.key.size)
    out.signed(record.key.modified.seconds)
    out.varint(UInt64(max(0, record.key.modified.nanoseconds)))
    out.signed(record.key.changed.seconds)
    out.varint(UInt64(max(0, record.key.changed.nanoseconds)))
    out.varint(record.lastRun)
    out.raw(record.digest)
  }

  /// Reads one record; `path` holds the previous record's path in the block and is replaced.
  static func decode(
    _ input: inout CacheByteReader, path: inout [UInt8], areas: Int
  ) throws(DigestCacheDamage) -> DigestCacheRecord {
    let area = try input.count(limit: max(0, areas - 1), "area index")
    let shared = try input.count(limit: path.count, "shared path prefix")
    let rest = try input.count(limit: pathLimit - shared, "path length")
    path.removeSubrange(shared...)
    path.append(contentsOf: try input.raw(rest, "path"))
    let device = try input.varint("device")
    let inode = try input.varint("inode")
    let size = try input.varint("size")
    let modified = try timestamp(&input, "mtime seconds", "mtime nanoseconds")
    let changed = try timestamp(&input, "ctime seconds", "ctime nanoseconds")
    let lastRun = try input.varint("last run")
    let digest = Array(try input.raw(digestBytes, "digest"))
    return DigestCacheRecord(
      area: area, path: path,
      key: FileKey(
        device: device, inode: inode, size: size, modified: modified, changed: changed),
      lastRun: lastRun, digest: digest)
  }

  /// A timestamp; its two fields are named by literals, not built per record (this runs for
  /// every file of the spool).
  private static func timestamp(
    _ input: inout CacheByteReader, _ secondsName: String, _ nanosecondsName: String
  ) throws(DigestCacheDamage) -> Timestamp {
    let seconds = try input.signed(secondsName)
    let nanoseconds = try input.count(limit: 999_999_999, nanosecondsName)
    return Timestamp(seconds: seconds, nanoseconds: Int32(nanoseconds))
  }
}
