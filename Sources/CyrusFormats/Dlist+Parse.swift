extension Dlist {
  /// Deepest nesting of lists accepted; Cyrus's values nest 3 deep. Unit: levels.
  public static let maxDepth = 64

  /// Parses one dlist value (printed without a leading key) that spans all of `bytes`.
  ///
  /// Follows `dlist_parsesax` (3.6.1 imap/dlist.c:899-1090): a bare item runs to the next SP
  /// with trailing `)` removed; `NIL` is ``null``; a quoted string honours backslash escapes;
  /// a literal is `{n}` or `{n+}`, CRLF, then n bytes. Stricter than Cyrus in one respect: an
  /// empty bare item (which Cyrus reads as "") is an error, since Cyrus never writes one.
  public static func parse<C: Collection>(_ bytes: C) throws -> Dlist where C.Element == UInt8 {
    var parser = DlistParser(Array(bytes))
    let value = try parser.value(depth: 0)
    guard parser.position == parser.bytes.count else {
      throw DlistError(.trailingBytes, offset: parser.position, detail: "bytes after the value")
    }
    return value
  }
}

struct DlistParser {
  let bytes: [UInt8]
  var position = 0

  init(_ bytes: [UInt8]) { self.bytes = bytes }

  private func peek() throws -> UInt8 {
    guard position < bytes.count else {
      throw DlistError(.unexpectedEnd, offset: position, detail: "value expected")
    }
    return bytes[position]
  }

  private func fail(_ expected: String) -> DlistError {
    let found = position < bytes.count ? hex(bytes[position]) : "end"
    return DlistError(
      .unexpectedByte, offset: position, detail: "expected \(expected), found \(found)")
  }

  mutating func value(depth: Int) throws -> Dlist {
    guard depth < Dlist.maxDepth else {
      throw DlistError(
        .nestingTooDeep, offset: position, detail: "more than \(Dlist.maxDepth) levels")
    }
    switch try peek() {
    case UInt8(ascii: "("):
      position += 1
      var items: [Dlist] = []
      while try peek() != UInt8(ascii: ")") {
        if !items.isEmpty {
          guard try peek() == UInt8(ascii: " ") else { throw fail("SP or )") }
          position += 1
        }
        items.append(try value(depth: depth + 1))
      }
      position += 1
      return .list(items)
    case UInt8(ascii: "%"):
      position += 1
      guard try peek() == UInt8(ascii: "(") else { throw fail("( after %") }
      position += 1
      var fields: [Dlist.Field] = []
      while try peek() != UInt8(ascii: ")") {
        if !fields.isEmpty {
          guard try peek() == UInt8(ascii: " ") else { throw fail("SP or )") }
          position += 1
        }
        let keyOffset = position
        guard case .string(let key) = try item() else {
          throw DlistError(.unexpectedByte, offset: keyOffset, detail: "NIL as a kvlist key")
        }
        guard try peek() == UInt8(ascii: " ") else { throw fail("SP after key") }
        position += 1
        fields.append(Dlist.Field(key: key, value: try value(depth: depth + 1)))
      }
      position += 1
      return .kvlist(fields)
    default:
      return try item()
    }
  }

  /// An atom, quoted string, literal or NIL.
  mutating func item() throws -> Dlist {
    switch try peek() {
    case UInt8(ascii: "\""): return .string(try quoted())
    case UInt8(ascii: "{"): return .string(try literal())
    default:
      let start = position
      var end = bytes[start...].firstIndex(of: UInt8(ascii: " ")) ?? bytes.count
      while end > start, bytes[end - 1] == UInt8(ascii: ")") { end -= 1 }
      guard end > start else { throw fail("an item") }
      position = end
      let atom = Array(bytes[start..<end])
      return atom == Array("NIL".utf8) ? .null : .string(atom)
    }
  }

  private mutating func quoted() throws -> [UInt8] {
    let start = position
    position += 1
    var out: [UInt8] = []
    while position < bytes.count {
      var b = bytes[position]
      position += 1
      if b == UInt8(ascii: "\"") { return out }
      if b == UInt8(ascii: "\\") {
        guard position < bytes.count else { break }
        b = bytes[position]
        position += 1
      }
      out.append(b)
    }
    throw DlistError(.unexpectedEnd, offset: start, detail: "unterminated quoted string")
  }

  private mutating func literal() throws -> [UInt8] {
    let start = position
    position += 1
    var length = 0
    var digits = 0
    while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
      digits += 1
      guard digits <= 10 else { break }
      length = length * 10 + Int(bytes[position] - 0x30)
      position += 1
    }
    if position < bytes.count, bytes[position] == UInt8(ascii: "+") { position += 1 }
    guard digits >= 1, digits <= 10, bytes.count - position >= 3,
      bytes[position] == UInt8(ascii: "}"), bytes[position + 1] == 0x0D, bytes[position + 2] == 0x0A
    else {
      throw DlistError(.badLiteral, offset: start, detail: "expected {n}CRLF")
    }
    position += 3
    guard length <= bytes.count - position else {
      throw DlistError(
        .badLiteral, offset: start,
        detail: "literal of \(length) bytes, \(bytes.count - position) left")
    }
    defer { position += length }
    return Array(bytes[position..<(position + length)])
  }
}
