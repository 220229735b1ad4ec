/// The 16-byte check of a digest cache part (header, block, trailer), keyed by the file's nonce
/// and the block's index: a multiply-rotate hash over four 64-bit lanes, several bytes per
/// cycle, where the SHA-256 of format version 1 cost as much as a tenth of an incremental
/// run's reading.
///
/// It guards against damage, not against a forger: whoever can write the cache file (root, in
/// a directory no one else may write, see ``DigestCacheDirectory``) could as well make any
/// check, SHA-256 or not, since the nonce is in the file. What it must catch, it does:
/// - a changed 8-byte word changes its lane's state for certain (each step is a bijection of
///   the lane and of the word), and the final mix carries every lane into the result;
/// - several changes, a cut or a part from elsewhere give one of 2^128 results;
/// - a block moved within its file, or taken from another file, is checked under another
///   index or nonce.
struct CacheCheck {
  private var lanes: (UInt64, UInt64, UInt64, UInt64)
  /// Bytes not yet folded in (fewer than a stripe), and how many.
  private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
  private var pendingCount = 0
  private var total: UInt64 = 0

  /// Bytes folded in per step, one word per lane.
  private static let stripe = 32
  private static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
  private static let laneMultipliers: (UInt64, UInt64, UInt64, UInt64) = (
    0xC2B2_AE3D_27D4_EB4F, 0x1656_67B1_9E37_79F9, 0xD6E8_FEB8_6659_FD93, 0xFF51_AFD7_ED55_8CCD
  )

  /// A check keyed by `nonce` (16 bytes) and, for a block, its `index`.
  init(nonce: [UInt8], index: UInt64?) {
    precondition(nonce.count == 16, "a cache nonce is 16 bytes")
    let first = Self.word(nonce, 0)
    let second = Self.word(nonce, 8)
    let position = index.map { ($0 &+ 1) &* Self.multiplier } ?? 0
    lanes = (
      first ^ Self.laneMultipliers.0, second ^ Self.laneMultipliers.1,
      first &+ position, second ^ Self.avalanche(position)
    )
  }

  /// Folds `bytes` in.
  mutating func update(_ bytes: ArraySlice<UInt8>) {
    bytes.withUnsafeBytes { update($0) }
  }

  /// Folds `bytes` in.
  mutating func update(_ raw: UnsafeRawBufferPointer) {
    guard let base = raw.baseAddress, raw.count > 0 else { return }
    total &+= UInt64(raw.count)
    var offset = 0
    if pendingCount > 0 {
      let taken = min(Self.stripe - pendingCount, raw.count)
      let start = pendingCount
      withUnsafeMutableBytes(of: &pending) { buffer in
        UnsafeMutableRawBufferPointer(rebasing: buffer[start..<(start + taken)]).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: raw[0..<taken]))
      }
      pendingCount += taken
      offset = taken
      guard pendingCount == Self.stripe else { return }
      let stripe = pending
      fold(stripe.0, stripe.1, stripe.2, stripe.3)
      pendingCount = 0
    }
    while raw.count - offset >= Self.stripe {
      fold(
        base.loadUnaligned(fromByteOffset: offset, as: UInt64.self),
        base.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self),
        base.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self),
        base.loadUnaligned(fromByteOffset: offset + 24, as: UInt64.self))
      offset += Self.stripe
    }
    let rest = raw.count - offset
    if rest > 0 {
      pending = (0, 0, 0, 0)
      withUnsafeMutableBytes(of: &pending) { buffer in
        UnsafeMutableRawBufferPointer(rebasing: buffer[0..<rest]).copyMemory(
          from: UnsafeRawBufferPointer(rebasing: raw[offset...]))
      }
      pendingCount = rest
    }
  }

  /// The 16 bytes of the check.
  consuming func finish() -> [UInt8] {
    if pendingCount > 0 {
      // Zeros after the pending bytes: the length, mixed in below, tells them apart.
      let used = pendingCount
      withUnsafeMutableBytes(of: &pending) { buffer in
        for index in used..<Self.stripe { buffer[index] = 0 }
      }
      let stripe = pending
      fold(stripe.0, stripe.1, stripe.2, stripe.3)
    }
    let length = total &* Self.multiplier
    let high = Self.avalanche((lanes.0 &+ Self.rotate(lanes.2, 23)) ^ length)
    let low = Self.avalanche((lanes.1 &+ Self.rotate(lanes.3, 41)) ^ Self.rotate(length, 32))
    var out: [UInt8] = []
    out.reserveCapacity(16)
    for value in [high ^ Self.rotate(low, 17), low] {
      for shift in stride(from: 56, through: 0, by: -8) {
        out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
      }
    }
    return out
  }

  /// One step of each lane: a bijection of the lane for a given word, and of the word for a
  /// given lane.
  private mutating func fold(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) {
    let m = Self.laneMultipliers
    lanes.0 = Self.rotate(lanes.0 ^ (UInt64(littleEndian: a) &* m.0), 31) &* Self.multiplier
    lanes.1 = Self.rotate(lanes.1 ^ (UInt64(littleEndian: b) &* m.1), 29) &* Self.multiplier
    lanes.2 = Self.rotate(lanes.2 ^ (UInt64(littleEndian: c) &* m.2), 27) &* Self.multiplier
    lanes.3 = Self.rotate(lanes.3 ^ (UInt64(littleEndian: d) &* m.3), 33) &* Self.multiplier
  }

  /// SplitMix64's finaliser: every input bit reaches every output bit (a bijection).
  static func avalanche(_ value: UInt64) -> UInt64 {
    var z = value &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  private static func rotate(_ value: UInt64, _ count: UInt64) -> UInt64 {
    (value << count) | (value >> (64 - count))
  }

  private static func word(_ bytes: [UInt8], _ start: Int) -> UInt64 {
    bytes[start..<(start + 8)].reduce(0) { $0 << 8 | UInt64($1) }
  }
}
