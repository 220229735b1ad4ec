/// Appends the digest cache's header and trailer fields: big-endian fixed-width integers, and
/// the identity's unsigned LEB128 varints (records are encoded in place,
/// ``DigestCacheFormat/encodeRecord``).
struct CacheByteWriter {
  var bytes: [UInt8] = []

  mutating func byte(_ value: UInt8) { bytes.append(value) }

  mutating func fixed(_ value: UInt64, width: Int) {
    for shift in stride(from: (width - 1) * 8, through: 0, by: -8) {
      bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
    }
  }

  mutating func varint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  mutating func raw(_ value: some Collection<UInt8>) { bytes.append(contentsOf: value) }
}

/// Reads the header and trailer fields ``CacheByteWriter`` wrote (records are decoded in place,
/// ``DigestCacheFormat/decodeRecord``): every read is bounds-checked, and a failure says at
/// which offset of the cache file (`base` plus the position) and what was being read.
struct CacheByteReader {
  let bytes: [UInt8]
  let base: Int
  private(set) var position = 0

  init(_ bytes: [UInt8], base: Int) {
    self.bytes = bytes
    self.base = base
  }

  func damage(_ what: String) -> DigestCacheDamage {
    DigestCacheDamage(offset: base + position, detail: what)
  }

  mutating func byte(_ what: String) throws(DigestCacheDamage) -> UInt8 {
    guard position < bytes.count else { throw damage("\(what): past the end") }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func fixed(width: Int, _ what: String) throws(DigestCacheDamage) -> UInt64 {
    guard bytes.count - position >= width else { throw damage("\(what): past the end") }
    var value: UInt64 = 0
    for index in position..<(position + width) { value = value << 8 | UInt64(bytes[index]) }
    position += width
    return value
  }

  mutating func raw(_ count: Int, _ what: String) throws(DigestCacheDamage) -> ArraySlice<UInt8> {
    guard count >= 0, bytes.count - position >= count else {
      throw damage("\(what): \(count) bytes past the end")
    }
    defer { position += count }
    return bytes[position..<(position + count)]
  }
}

/// Why a cache file is not trusted (from this offset on): the run reads those files instead.
public struct DigestCacheDamage: Error, Sendable, Equatable, CustomStringConvertible {
  /// Byte offset in the cache file.
  public var offset: Int
  /// What was wrong there.
  public var detail: String

  public var description: String { "at offset 0x\(String(offset, radix: 16)): \(detail)" }
}
