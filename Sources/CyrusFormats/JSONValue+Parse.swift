extension JSONValue {
  /// Deepest nesting accepted. Unit: levels.
  public static let maxDepth = 64

  /// Parses one JSON text (RFC 8259, strict: no trailing commas, no comments, no control
  /// characters or invalid UTF-8 in strings, no lone surrogates, no duplicate keys) that spans
  /// all of `bytes`, whitespace around it allowed.
  public static func parse<C: Collection>(_ bytes: C) throws -> JSONValue where C.Element == UInt8 {
    var p = JSONParser(bytes: Array(bytes))
    p.skipSpace()
    let v = try p.value(depth: 0)
    p.skipSpace()
    guard p.i == p.bytes.count else {
      throw JSONError(offset: p.i, detail: "bytes after the value")
    }
    return v
  }
}

struct JSONParser {
  let bytes: [UInt8]
  var i = 0

  mutating func skipSpace() {
    while i < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[i]) { i += 1 }
  }

  func fail(_ what: String) -> JSONError { JSONError(offset: i, detail: what) }

  mutating func expect(_ b: UInt8) throws {
    guard i < bytes.count, bytes[i] == b else {
      throw fail("expected '\(Character(Unicode.Scalar(b)))'")
    }
    i += 1
  }

  mutating func value(depth: Int) throws -> JSONValue {
    guard depth < JSONValue.maxDepth else {
      throw fail("nesting deeper than \(JSONValue.maxDepth)")
    }
    guard i < bytes.count else { throw fail("value expected, found end") }
    switch bytes[i] {
    case UInt8(ascii: "{"): return try object(depth: depth)
    case UInt8(ascii: "["):
      i += 1
      var items: [JSONValue] = []
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: "]") {
        i += 1
        return .array(items)
      }
      while true {
        skipSpace()
        items.append(try value(depth: depth + 1))
        skipSpace()
        if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
        try expect(UInt8(ascii: "]"))
        return .array(items)
      }
    case UInt8(ascii: "\""): return .string(try string())
    case UInt8(ascii: "t"): try literal("true"); return .bool(true)
    case UInt8(ascii: "f"): try literal("false"); return .bool(false)
    case UInt8(ascii: "n"): try literal("null"); return .null
    default: return .number(try number())
    }
  }

  mutating func object(depth: Int) throws -> JSONValue {
    try expect(UInt8(ascii: "{"))
    var members: [JSONValue.Member] = []
    var seen = Set<String>()
    skipSpace()
    if i < bytes.count, bytes[i] == UInt8(ascii: "}") {
      i += 1
      return .object(members)
    }
    while true {
      skipSpace()
      let keyOffset = i
      guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else {
        throw fail("member name expected")
      }
      let key = try string()
      guard seen.insert(key).inserted else {
        throw JSONError(offset: keyOffset, detail: "duplicate key \"\(key)\"")
      }
      skipSpace()
      try expect(UInt8(ascii: ":"))
      skipSpace()
      members.append(JSONValue.Member(key, try value(depth: depth + 1)))
      skipSpace()
      if i < bytes.count, bytes[i] == UInt8(ascii: ",") { i += 1; continue }
      try expect(UInt8(ascii: "}"))
      return .object(members)
    }
  }

  mutating func literal(_ word: String) throws {
    let w = Array(word.utf8)
    guard bytes.count - i >= w.count, Array(bytes[i..<(i + w.count)]) == w else {
      throw fail("invalid literal")
    }
    i += w.count
  }

  mutating func number() throws -> String {
    let start = i
    func digits() -> Int {
      let s = i
      while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
      return i - s
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: "-") { i += 1 }
    let intStart = i
    let n = digits()
    guard n > 0, !(n > 1 && bytes[intStart] == 0x30) else {
      throw JSONError(offset: start, detail: "invalid number")
    }
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      i += 1
      guard digits() > 0 else { throw fail("digits expected after '.'") }
    }
    if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
      guard digits() > 0 else { throw fail("digits expected in exponent") }
    }
    return String(decoding: bytes[start..<i], as: UTF8.self)
  }
}
