/// Consumes a frame's payload: LEB128 varints, length-prefixed fields. Every length is checked
/// against a limit and against the bytes left before anything is allocated; errors carry the
/// offset in the stream.
struct ByteReader {
  private let bytes: [UInt8]
  private(set) var position = 0
  /// Stream offset of `bytes[0]`, for error messages.
  let baseOffset: Int

  init(_ bytes: [UInt8], baseOffset: Int = 0) {
    self.bytes = bytes
    self.baseOffset = baseOffset
  }

  /// Whether every byte was consumed.
  var isAtEnd: Bool { position == bytes.count }
  /// Bytes not yet consumed.
  var remaining: Int { bytes.count - position }

  func error(_ kind: RemoteProtocolError.Kind, _ detail: String) -> RemoteProtocolError {
    RemoteProtocolError(kind, offset: baseOffset + position, detail: detail)
  }

  mutating func readByte() throws(RemoteProtocolError) -> UInt8 {
    guard position < bytes.count else {
      throw error(.truncated, "payload ends where a byte is expected")
    }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func readVarint() throws(RemoteProtocolError) -> UInt64 {
    var value: UInt64 = 0
    for index in 0..<RemoteLimits.varintBytes {
      let byte = try readByte()
      if index == RemoteLimits.varintBytes - 1 && byte > 1 {
        throw error(.corrupt, "varint overflows 64 bits")
      }
      value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
      if byte & 0x80 == 0 { return value }
    }
    throw error(.corrupt, "varint longer than \(RemoteLimits.varintBytes) bytes")
  }

  /// A varint that must fit `limit`.
  mutating func readCount(limit: Int, _ what: String) throws(RemoteProtocolError) -> Int {
    let value = try readVarint()
    guard value <= UInt64(limit) else {
      throw error(.tooLarge, "\(what) \(value) is over the limit of \(limit)")
    }
    return Int(value)
  }

  mutating func readUInt32() throws(RemoteProtocolError) -> UInt32 {
    let value = try readVarint()
    guard value <= UInt64(UInt32.max) else {
      throw error(.corrupt, "value \(value) does not fit 32 bits")
    }
    return UInt32(value)
  }

  /// A 32-bit value or `nil`, written by ``ByteWriter/optionalUInt32(_:)`` as value + 1.
  mutating func readOptionalUInt32() throws(RemoteProtocolError) -> UInt32? {
    let value = try readVarint()
    guard value > 0 else { return nil }
    guard value - 1 <= UInt64(UInt32.max) else {
      throw error(.corrupt, "value \(value - 1) does not fit 32 bits")
    }
    return UInt32(value - 1)
  }

  mutating func readBytes(_ count: Int) throws(RemoteProtocolError) -> [UInt8] {
    guard count <= remaining else {
      throw error(.truncated, "\(count) bytes announced, \(remaining) left")
    }
    defer { position += count }
    return Array(bytes[position..<(position + count)])
  }

  /// A length-prefixed field of at most `limit` bytes.
  mutating func readField(limit: Int = RemoteLimits.fieldBytes, _ what: String)
    throws(RemoteProtocolError) -> [UInt8]
  {
    let count = try readCount(limit: limit, "length of \(what)")
    return try readBytes(count)
  }

  mutating func readString(_ what: String) throws(RemoteProtocolError) -> String {
    String(decoding: try readField(what), as: UTF8.self)
  }

  mutating func readOptionalString(_ what: String) throws(RemoteProtocolError) -> String? {
    try readByte() == 0 ? nil : try readString(what)
  }

  /// The rest of the payload.
  mutating func readRest() -> [UInt8] {
    defer { position = bytes.count }
    return Array(bytes[position...])
  }
}

/// Builds a payload: the writing half of ``ByteReader``.
struct ByteWriter {
  private(set) var bytes: [UInt8] = []

  mutating func byte(_ value: UInt8) { bytes.append(value) }

  mutating func varint(_ value: UInt64) {
    var rest = value
    while rest >= 0x80 {
      bytes.append(UInt8(rest & 0x7F) | 0x80)
      rest >>= 7
    }
    bytes.append(UInt8(rest))
  }

  mutating func varint(_ value: Int) {
    precondition(value >= 0, "only counts and sizes are written as unsigned varints")
    varint(UInt64(value))
  }

  mutating func raw(_ value: some Collection<UInt8>) { bytes.append(contentsOf: value) }

  /// A length-prefixed field; longer fields are a bug in the caller (entries come from paths).
  mutating func field(_ value: some Collection<UInt8>) {
    precondition(value.count <= RemoteLimits.fieldBytes, "a field must fit RemoteLimits.fieldBytes")
    varint(value.count)
    raw(value)
  }

  mutating func string(_ value: String) { field(Array(value.utf8.prefix(RemoteLimits.fieldBytes))) }

  /// `nil` as 0, a value as value + 1 (one varint).
  mutating func optionalUInt32(_ value: UInt32?) { varint(value.map { UInt64($0) + 1 } ?? 0) }

  mutating func optionalString(_ value: String?) {
    guard let value else { return byte(0) }
    byte(1)
    string(value)
  }
}
