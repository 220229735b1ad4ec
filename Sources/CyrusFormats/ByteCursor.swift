/// A big-endian reader over a byte array: `read…` consumes, `peek…` does not.
///
/// Every read is bounds-checked and throws ``CyrusDBError`` of kind
/// ``CyrusDBError/Kind/truncated`` carrying the absolute file offset (`baseOffset + position`).
public struct ByteCursor: Sendable {
  /// The bytes being read.
  public let bytes: [UInt8]
  /// The file offset of `bytes[0]`, used only for error messages.
  public let baseOffset: Int
  /// Index of the next byte to read.
  public private(set) var position: Int = 0

  public init(_ bytes: [UInt8], baseOffset: Int = 0) {
    self.bytes = bytes
    self.baseOffset = baseOffset
  }

  /// Bytes left to read.
  public var remaining: Int { bytes.count - position }
  /// The absolute file offset of the next byte.
  public var offset: Int { baseOffset + position }

  private func check(_ n: Int) throws {
    guard n >= 0, n <= remaining else {
      throw CyrusDBError(
        .truncated, offset: offset, detail: "need \(n) bytes, \(remaining) left")
    }
  }

  private func bigEndian(_ n: Int, at index: Int) -> UInt64 {
    var value: UInt64 = 0
    for i in index..<(index + n) { value = value << 8 | UInt64(bytes[i]) }
    return value
  }

  public func peekUInt8() throws -> UInt8 {
    try check(1)
    return bytes[position]
  }
  public func peekUInt32() throws -> UInt32 {
    try check(4)
    return UInt32(truncatingIfNeeded: bigEndian(4, at: position))
  }
  /// The next `count` bytes without consuming them.
  public func peekBytes(_ count: Int) throws -> ArraySlice<UInt8> {
    try check(count)
    return bytes[position..<(position + count)]
  }

  public mutating func readUInt8() throws -> UInt8 {
    let v = try peekUInt8()
    position += 1
    return v
  }
  public mutating func readUInt16() throws -> UInt16 {
    try check(2)
    defer { position += 2 }
    return UInt16(truncatingIfNeeded: bigEndian(2, at: position))
  }
  public mutating func readUInt32() throws -> UInt32 {
    let v = try peekUInt32()
    position += 4
    return v
  }
  public mutating func readUInt64() throws -> UInt64 {
    try check(8)
    defer { position += 8 }
    return bigEndian(8, at: position)
  }
  public mutating func readBytes(_ count: Int) throws -> [UInt8] {
    let v = try peekBytes(count)
    position += count
    return Array(v)
  }
  public mutating func skip(_ count: Int) throws {
    try check(count)
    position += count
  }
}
