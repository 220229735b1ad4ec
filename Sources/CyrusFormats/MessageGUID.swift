/// A message GUID: the SHA-1 of the whole message file, as `cyrus.index` records store it
/// from minor 10 on (`struct message_guid`, 3.6.1 imap/message_guid.h; always filled from 2.4,
/// 2.4.17 imap/message.c:374-406).
public struct MessageGUID: Hashable, Sendable, CustomStringConvertible {
  /// `MESSAGE_GUID_SIZE`. Unit: bytes.
  public static let size = 20

  /// The 20 bytes.
  public let bytes: [UInt8]

  /// A GUID from exactly ``size`` bytes.
  public init(_ bytes: [UInt8]) {
    precondition(bytes.count == Self.size, "a message GUID is \(Self.size) bytes")
    self.bytes = bytes
  }

  /// All zero: the version has no GUID, or 2.3 ran without `guid_mode: sha1`.
  public static let zero = MessageGUID([UInt8](repeating: 0, count: size))

  public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }

  /// Lowercase hex, as `message_guid_encode` prints it.
  public var hex: String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(2 * bytes.count)
    for b in bytes { out += [digits[Int(b >> 4)], digits[Int(b & 0x0F)]] }
    return String(decoding: out, as: UTF8.self)
  }

  public var description: String { hex }
}
