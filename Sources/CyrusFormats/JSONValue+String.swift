extension JSONParser {
  /// A string: escapes decoded, UTF-8 validated, raw control characters rejected.
  mutating func string() throws -> String {
    try expect(UInt8(ascii: "\""))
    var out: [UInt8] = []
    while true {
      guard i < bytes.count else { throw fail("unterminated string") }
      let b = bytes[i]
      i += 1
      switch b {
      case UInt8(ascii: "\""):
        guard Self.isValidUTF8(out) else { throw fail("string is not valid UTF-8") }
        return String(decoding: out, as: UTF8.self)
      case UInt8(ascii: "\\"):
        guard i < bytes.count else { throw fail("unterminated escape") }
        let e = bytes[i]
        i += 1
        switch e {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"): out += try unicodeEscape()
        default: throw fail("invalid escape")
        }
      case 0..<0x20: throw fail("raw control character in string")
      default: out.append(b)
      }
    }
  }

  private mutating func hex4() throws -> UInt32 {
    guard bytes.count - i >= 4 else { throw fail("short \\u escape") }
    var v: UInt32 = 0
    for _ in 0..<4 {
      guard let d = MailboxName.Parts.hexDigit(bytes[i]) else { throw fail("bad hex digit") }
      v = v << 4 | UInt32(d)
      i += 1
    }
    return v
  }

  private mutating func unicodeEscape() throws -> [UInt8] {
    var scalar = try hex4()
    if (0xD800..<0xDC00).contains(scalar) {
      guard bytes.count - i >= 6, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u")
      else {
        throw fail("lone high surrogate")
      }
      i += 2
      let low = try hex4()
      guard (0xDC00..<0xE000).contains(low) else { throw fail("bad low surrogate") }
      scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
    } else if (0xDC00..<0xE000).contains(scalar) {
      throw fail("lone low surrogate")
    }
    guard let u = Unicode.Scalar(scalar) else { throw fail("invalid code point") }
    return Array(String(Character(u)).utf8)
  }

  static func isValidUTF8(_ bytes: [UInt8]) -> Bool {
    var it = bytes.makeIterator()
    var decoder = UTF8()
    while true {
      switch decoder.decode(&it) {
      case .scalarValue: continue
      case .emptyInput: return true
      case .error: return false
      }
    }
  }
}
