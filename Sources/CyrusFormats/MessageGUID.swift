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
    func word(_ start: Int, _ count: Int) -> UInt64 {
      var value: UInt64 = 0
      for index in start..<(start + count) { value = value << 8 | UInt64(bytes[index]) }
      return value
    }
    first = word(0, 8)
    second = word(8, 8)
    third = UInt32(truncatingIfNeeded: word(16, 4))
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
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(2 * Self.size)
    forEachByte { b in
      out.append(digits[Int(b >> 4)])
      out.append(digits[Int(b & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }

  public var description: String { hex }
}
