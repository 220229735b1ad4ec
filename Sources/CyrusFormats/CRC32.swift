/// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320), the checksum twoskip stores.
///
/// Output equals zlib's `crc32(0, buf, len)`, which Cyrus 2.4/2.5 call, and Cyrus 3.6's own
/// slicing implementation (`lib/crc32.c`, `crc32_map`).
///
/// Contiguous bytes are taken eight at a time (slicing-by-8, same result as one at a time):
/// the walk computes the CRC of every cyrus.index record.
public enum CRC32 {
  private static let table: [UInt32] = (0..<256).map { n -> UInt32 in
    var c = UInt32(n)
    for _ in 0..<8 { c = (c & 1) != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// Eight tables of 256 entries, one after the other: entry `n` of table `k` is the CRC
  /// register after byte `n` is followed by `k` zero bytes (table 0 is ``table``).
  private static let slices: [UInt32] = {
    var slices = table
    for k in 1..<8 {
      for n in 0..<256 {
        let previous = slices[(k - 1) * 256 + n]
        slices.append((previous >> 8) ^ table[Int(previous & 0xFF)])
      }
    }
    return slices
  }()

  /// The checksum of `bytes`, continuing from `crc` (0 to start).
  public static func checksum<C: Collection>(_ bytes: C, continuing crc: UInt32 = 0) -> UInt32
  where C.Element == UInt8 {
    if let sliced = bytes.withContiguousStorageIfAvailable({ update(~crc, $0) }) {
      return ~sliced
    }
    var c = ~crc
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return ~c
  }

  /// The register `c` after `bytes`, eight bytes at a time, then one at a time.
  private static func update(_ register: UInt32, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
    slices.withUnsafeBufferPointer { t in
      var c = register
      var i = 0
      while bytes.count - i >= 8 {
        let low =
          c
          ^ (UInt32(bytes[i]) | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2]) << 16
            | UInt32(bytes[i + 3]) << 24)
        let high =
          UInt32(bytes[i + 4]) | UInt32(bytes[i + 5]) << 8 | UInt32(bytes[i + 6]) << 16
          | UInt32(bytes[i + 7]) << 24
        c =
          t[7 * 256 + Int(low & 0xFF)] ^ t[6 * 256 + Int((low >> 8) & 0xFF)]
          ^ t[5 * 256 + Int((low >> 16) & 0xFF)] ^ t[4 * 256 + Int(low >> 24)]
          ^ t[3 * 256 + Int(high & 0xFF)] ^ t[2 * 256 + Int((high >> 8) & 0xFF)]
          ^ t[256 + Int((high >> 16) & 0xFF)] ^ t[Int(high >> 24)]
        i += 8
      }
      while i < bytes.count {
        c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8)
        i += 1
      }
      return c
    }
  }
}
