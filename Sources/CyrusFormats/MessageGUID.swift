/// A message GUID: the SHA-1 of the whole message file, as `cyrus.index` records store it
/// from minor 10 on (`struct message_guid`, 3.6.1 imap/message_guid.h; always filled from 2.4,
/// 2.4.17 imap/message.c:374-406).
///
/// The 20 bytes are held inline as big-endian words, not in an array: the walk reads one GUID
/// per message, and an array would be an allocation each.
public struct MessageGUID: Hashable, Sendable, CustomStringConvertible {
  /// `MESSAGE_GUID_SIZE`. Unit: bytes.
  public static let size = 20

  /// Bytes 0–7, big-endian.
  private let first: UInt64
  /// Bytes 8–15, big-endian.
  private let second: UInt64
  /// Bytes 16–19, big-endian.
  private let third: UInt32

  /// A GUID from exactly ``size`` bytes.
  public init(_ bytes: [UInt8]) {
    precondition(bytes.count == Self.size, "a message GUID is \(Self.size) bytes")
    self = bytes.withUnsafeBytes { MessageGUID($0) }
  }

  /// A GUID from exactly ``size`` bytes.
  public init(_ bytes: UnsafeRawBufferPointer) {
    precondition(bytes.count == Self.size, "a message GUID is \(Self.size) bytes")
    first = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
    second = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
    third = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: 16, as: UInt32.self))
  }

  /// Writes the 40 lowercase hex digits of ``hex`` into `buffer` from `start`, and returns the
  /// index after them (the walk writes one GUID line per message: eight digits at a time, no
  /// call or table lookup per byte).
  public func writeHex(into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
    precondition(start >= 0 && buffer.count - start >= 2 * Self.size, "room for 40 hex digits")
    let raw = UnsafeMutableRawBufferPointer(buffer)
    var index = start
    func put(_ word: UInt32) {
      raw.storeBytes(of: Self.hexDigits(word).bigEndian, toByteOffset: index, as: UInt64.self)
      index += 8
    }
    put(UInt32(truncatingIfNeeded: first >> 32))
    put(UInt32(truncatingIfNeeded: first))
    put(UInt32(truncatingIfNeeded: second >> 32))
    put(UInt32(truncatingIfNeeded: second))
    put(third)
    return index
  }

  /// The eight lowercase hex digits of `word` as the bytes of a `UInt64`, the most significant
  /// digit in its most significant byte: each nibble spread into a byte of its own, then "0"
  /// added, and "a" - "0" - 10 more where the nibble is 10 or more.
  static func hexDigits(_ word: UInt32) -> UInt64 {
    var x = UInt64(word)
    x = (x | x << 16) & 0x0000_FFFF_0000_FFFF
    x = (x | x << 8) & 0x00FF_00FF_00FF_00FF
    x = (x | x << 4) & 0x0F0F_0F0F_0F0F_0F0F
    let isLetter = ((x &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
    return x &+ 0x3030_3030_3030_3030 &+ isLetter &* 0x27
  }

  /// All zero: the version has no GUID, or 2.3 ran without `guid_mode: sha1`.
  public static let zero = MessageGUID([UInt8](repeating: 0, count: size))

  /// The 20 bytes.
  public var bytes: [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(Self.size)
    forEachByte { out.append($0) }
    return out
  }

  /// Calls `body` with each of the 20 bytes in order (no array made).
  public func forEachByte(_ body: (UInt8) -> Void) {
    for shift in stride(from: 56, through: 0, by: -8) {
      body(UInt8(truncatingIfNeeded: first >> shift))
    }
    for shift in stride(from: 56, through: 0, by: -8) {
      body(UInt8(truncatingIfNeeded: second >> shift))
    }
    for shift in stride(from: 24, through: 0, by: -8) {
      body(UInt8(truncatingIfNeeded: third >> shift))
    }
  }

  public var isZero: Bool { first == 0 && second == 0 && third == 0 }

  /// Lowercase hex, as `message_guid_encode` prints it.
  public var hex: String {
    String(unsafeUninitializedCapacity: 2 * Self.size) { writeHex(into: $0, at: 0) }
  }

  public var description: String { hex }
}
