/// One key/value pair as stored in a Berkeley DB file: raw bytes, no NUL terminator added or
/// removed (Cyrus stores `strlen` bytes, 2.2.13 lib/cyrusdb_berkeley.c).
public struct BerkeleyRecord: Sendable, Hashable {
  /// The key bytes.
  public var key: [UInt8]
  /// The value (Berkeley DB: "data") bytes.
  public var value: [UInt8]

  /// Makes a record from raw bytes.
  public init(key: [UInt8], value: [UInt8]) {
    self.key = key
    self.value = value
  }

  /// Makes a record from the UTF-8 bytes of two strings (no NUL terminator).
  public init(key: String, value: String) {
    self.init(key: Array(key.utf8), value: Array(value.utf8))
  }
}
