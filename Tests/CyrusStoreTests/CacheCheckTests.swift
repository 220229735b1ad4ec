import Testing

@testable import CyrusStore

/// The digest cache's part check: the same bytes give the same check however they are split
/// into parts, and every single bit flipped, every byte cut or added, another nonce and another
/// block index give another.
@Suite struct CacheCheckTests {
  static let nonce: [UInt8] = (0..<16).map { UInt8($0 * 13 + 3) }
  /// 1,000 bytes that are not a pattern of the stripe's width.
  static let message: [UInt8] = (0..<1000).map { UInt8(truncatingIfNeeded: $0 * 31 + $0 / 7) }

  static func check(_ parts: [ArraySlice<UInt8>], nonce: [UInt8] = nonce, index: UInt64? = 3)
    -> [UInt8]
  {
    var check = CacheCheck(nonce: nonce, index: index)
    for part in parts { check.update(part) }
    return check.finish()
  }

  @Test func splittingIntoPartsDoesNotChangeTheCheck() {
    let whole = Self.check([Self.message[...]])
    #expect(whole.count == DigestCacheFormat.checkBytes)
    // Splits before, at and after the 32-byte stripe, and parts of nothing between.
    for first in [0, 1, 7, 31, 32, 33, 64, 100, 999, 1000] {
      for second in [first, first + 1, first + 30, first + 65] where second <= 1000 {
        let parts = [
          Self.message[..<first], Self.message[first..<first], Self.message[first..<second],
          Self.message[second...],
        ]
        #expect(Self.check(parts) == whole, "split at \(first), \(second)")
      }
    }
    // One byte at a time.
    #expect(Self.check(Self.message.indices.map { Self.message[$0...$0] }) == whole)
    #expect(DigestCacheFormat.check(nonce: Self.nonce, index: 3, Self.message[...]) == whole)
  }

  @Test func everySingleBitFlipChangesTheCheck() {
    let whole = Self.check([Self.message[...]])
    var seen: Set<[UInt8]> = [whole]
    for byte in Self.message.indices {
      for bit in 0..<8 {
        var flipped = Self.message
        flipped[byte] ^= UInt8(1 << bit)
        seen.insert(Self.check([flipped[...]]))
      }
    }
    // 8,000 flips, 8,000 checks, all different from each other and from the original's.
    #expect(seen.count == 1 + Self.message.count * 8)
  }

  @Test func lengthNonceAndIndexChangeTheCheck() {
    let whole = Self.check([Self.message[...]])
    var checks: [[UInt8]] = [whole]
    // A cut, and zeros added: the last stripe is padded with zeros, the length tells them apart.
    checks.append(Self.check([Self.message.dropLast()]))
    checks.append(Self.check([(Self.message + [0])[...]]))
    checks.append(Self.check([(Self.message + [0, 0, 0, 0, 0, 0, 0, 0])[...]]))
    checks.append(Self.check([]))
    checks.append(Self.check([[0][...]]))
    var otherNonce = Self.nonce
    otherNonce[15] ^= 1
    checks.append(Self.check([Self.message[...]], nonce: otherNonce))
    // The header and trailer's check (no index) and blocks 0, 2 and 4.
    for index in [nil, 0, 2, 4] as [UInt64?] {
      checks.append(Self.check([Self.message[...]], index: index))
    }
    #expect(Set(checks).count == checks.count)
  }
}
