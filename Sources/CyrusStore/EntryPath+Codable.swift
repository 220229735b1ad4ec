/// An entry path in JSON: its display form (``EntryPath/description``), which escapes every
/// byte that is not printable text as `\xNN` and a backslash as `\\`, so it reads back to the
/// same bytes (``init(escaped:)``).
extension EntryPath: Codable {
  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let path = EntryPath(escaped: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not an escaped path: \(text)"))
    }
    self = path
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// The path whose display form is `text`; nil when `text` holds a backslash that is not
  /// `\\` or `\xNN`.
  public init?(escaped text: String) {
    var bytes: [UInt8] = []
    var rest = Array(text.utf8)[...]
    while let first = rest.first {
      guard first == 0x5C else {
        bytes.append(first)
        rest = rest.dropFirst()
        continue
      }
      let next = rest.dropFirst().first
      if next == 0x5C {
        bytes.append(0x5C)
        rest = rest.dropFirst(2)
      } else if next == UInt8(ascii: "x"), rest.count >= 4,
        let value = UInt8(String(decoding: rest.dropFirst(2).prefix(2), as: UTF8.self), radix: 16)
      {
        bytes.append(value)
        rest = rest.dropFirst(4)
      } else {
        return nil
      }
    }
    self.init(bytes: bytes)
  }
}

extension EntryPath: ExpressibleByStringLiteral {
  /// A path written in source (`"user/anna/1."`), as its UTF-8 bytes.
  public init(stringLiteral text: String) { self.init(text) }
}
