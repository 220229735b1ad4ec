/// A Cyrus dlist value as it appears in text: mailboxes.db values (2.5+), 3.6 `cyrus.header`
/// line 3, quota files (3.x) (grammar: 3.6.1 imap/dlist.c:899-1090 parser, :651-710 printer).
///
/// ```
/// value  = kvlist / list / item
/// kvlist = "%(" [ key SP value *( SP key SP value ) ] ")"
/// list   = "(" [ value *( SP value ) ] ")"
/// item   = atom / quoted / literal / "NIL"
/// ```
///
/// Atoms, quoted strings and literals all parse to ``string(_:)``: which form Cyrus writes
/// depends only on the bytes (see ``printed()``), so the distinction carries no information.
/// Numbers are strings of digits.
public enum Dlist: Hashable, Sendable {
  /// `NIL`.
  case null
  case string([UInt8])
  case list([Dlist])
  case kvlist([Field])

  /// One `key value` pair of a kvlist; keys may repeat, order is kept.
  public struct Field: Hashable, Sendable {
    public var key: [UInt8]
    public var value: Dlist
    public init(key: [UInt8], value: Dlist) {
      self.key = key
      self.value = value
    }
    public init(_ key: String, _ value: Dlist) { self.init(key: Array(key.utf8), value: value) }
  }

  /// A string value from Swift text.
  public static func atom(_ text: String) -> Dlist { .string(Array(text.utf8)) }

  /// The value of the first field named `key` of a kvlist; nil for other cases or no match.
  public subscript(key: String) -> Dlist? {
    guard case .kvlist(let fields) = self else { return nil }
    let k = Array(key.utf8)
    return fields.first { $0.key == k }?.value
  }

  /// The bytes of a string value.
  public var bytes: [UInt8]? {
    if case .string(let b) = self { return b }
    return nil
  }

  /// The string value decoded as UTF-8 (invalid sequences replaced).
  public var text: String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

  /// The string value as an unsigned decimal number, if it is one.
  public var number: UInt64? {
    guard let b = bytes, !b.isEmpty, b.count <= 20 else { return nil }
    var n: UInt64 = 0
    for c in b {
      guard c >= 0x30, c <= 0x39 else { return nil }
      let (m, o1) = n.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
      if o1 || o2 { return nil }
      n = s
    }
    return n
  }

  /// Elements of a list.
  public var elements: [Dlist]? {
    if case .list(let items) = self { return items }
    return nil
  }

  /// Fields of a kvlist.
  public var fields: [Field]? {
    if case .kvlist(let f) = self { return f }
    return nil
  }
}

/// A dlist text that does not follow the grammar.
public struct DlistError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable {
    case unexpectedEnd
    case unexpectedByte
    case badLiteral
    case nestingTooDeep
    case trailingBytes
  }
  public var kind: Kind
  /// Offset in the parsed bytes.
  public var offset: Int
  public var detail: String

  public init(_ kind: Kind, offset: Int, detail: String) {
    self.kind = kind
    self.offset = offset
    self.detail = detail
  }

  public var description: String { "dlist \(kind.rawValue) at offset \(hex(offset)): \(detail)" }
}
