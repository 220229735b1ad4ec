/// A JSON value with object members in document order, for the 3.6 `ctl_mboxlist -d` dump.
///
/// Numbers keep their text, since the dump writes every number as a string anyway and Cyrus
/// values are 64-bit unsigned.
public enum JSONValue: Hashable, Sendable {
  case null
  case bool(Bool)
  case number(String)
  case string(String)
  case array([JSONValue])
  case object([Member])

  public struct Member: Hashable, Sendable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
      self.key = key
      self.value = value
    }
  }

  /// The value of the member `key` of an object.
  public subscript(key: String) -> JSONValue? {
    guard case .object(let members) = self else { return nil }
    return members.first { $0.key == key }?.value
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }
}

/// JSON text that does not follow RFC 8259.
public struct JSONError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Offset in the parsed bytes.
  public var offset: Int
  public var detail: String
  public init(offset: Int, detail: String) {
    self.offset = offset
    self.detail = detail
  }
  public var description: String { "JSON error at offset \(offset): \(detail)" }
}
