import CyrusFormats
import Testing

/// A GUID's bytes, read as big-endian words, come back out in order, as bytes and as hex
/// (every nibble value, so a digit or letter off by one shows).
@Suite struct MessageGUIDTests {
  static let bytes: [UInt8] = [
    0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF, 0xFE, 0xDC,
    0xBA, 0x98, 0x76, 0x54, 0x32, 0x10, 0x0F, 0xF0, 0xA5, 0x5A,
  ]
  static let hex = "0123456789abcdeffedcba98765432100ff0a55a"

  @Test func bytesAndHexRoundTrip() {
    let guid = MessageGUID(Self.bytes)
    #expect(guid.bytes == Self.bytes)
    #expect(guid.hex == Self.hex)
    #expect(!guid.isZero)
    #expect(MessageGUID.zero.hex == String(repeating: "0", count: 40))
  }

  @Test func writeHexFillsFromTheGivenIndexAndReturnsTheEnd() {
    let guid = MessageGUID(Self.bytes)
    var buffer = [UInt8](repeating: 0x2E, count: 45)
    let end = buffer.withUnsafeMutableBufferPointer { guid.writeHex(into: $0, at: 3) }
    #expect(end == 43)
    #expect(String(decoding: buffer[3..<43], as: UTF8.self) == Self.hex)
    #expect(buffer[0..<3].allSatisfy { $0 == 0x2E } && buffer[43...].allSatisfy { $0 == 0x2E })
  }

  @Test func writeHexAgreesWithHexOnManyGUIDs() {
    var generator = SystemRandomNumberGenerator()
    var buffer = [UInt8](repeating: 0, count: 40)
    for _ in 0..<2000 {
      let bytes = (0..<MessageGUID.size).map { _ in UInt8.random(in: 0...255, using: &generator) }
      let guid = MessageGUID(bytes)
      _ = buffer.withUnsafeMutableBufferPointer { guid.writeHex(into: $0, at: 0) }
      let expected = bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
      #expect(String(decoding: buffer, as: UTF8.self) == expected)
      #expect(guid.hex == expected)
    }
  }
}
