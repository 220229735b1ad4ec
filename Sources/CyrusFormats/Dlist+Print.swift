extension Dlist {
  /// Longest atom or quoted string Cyrus writes; longer strings become literals. Unit: bytes
  /// (`MAXQSTRING` 1024 in lib/prot.c; `count >= 1024` check in lib/imparse.c).
  static let maxQuotedLength = 1023

  /// The value as Cyrus's `dlist_printbuf(dl, 0, …)` writes it (3.6.1 imap/dlist.c:651-710),
  /// byte for byte: strings through `prot_printastring` (3.6.1 lib/prot.c:1416): `""` when
  /// empty, bare when an atom other than `NIL`, quoted when every byte is a QCHAR, else a
  /// literal `{n}\r\n…`. Backslash escapes are never written.
  public func printed() -> [UInt8] {
    var out: [UInt8] = []
    print(into: &out)
    return out
  }

  /// ``printed()`` as text, for messages and tests.
  public var printedText: String { String(decoding: printed(), as: UTF8.self) }

  func print(into out: inout [UInt8]) {
    switch self {
    case .null: out += Array("NIL".utf8)
    case .string(let s): Self.printString(s, into: &out)
    case .list(let items):
      out.append(UInt8(ascii: "("))
      for (i, item) in items.enumerated() {
        if i > 0 { out.append(UInt8(ascii: " ")) }
        item.print(into: &out)
      }
      out.append(UInt8(ascii: ")"))
    case .kvlist(let fields):
      out += [UInt8(ascii: "%"), UInt8(ascii: "(")]
      for (i, field) in fields.enumerated() {
        if i > 0 { out.append(UInt8(ascii: " ")) }
        Self.printString(field.key, into: &out)
        out.append(UInt8(ascii: " "))
        field.value.print(into: &out)
      }
      out.append(UInt8(ascii: ")"))
    }
  }

  static func printString(_ s: [UInt8], into out: inout [UInt8]) {
    if s.isEmpty {
      out += [0x22, 0x22]
    } else if isAtom(s), s != Array("NIL".utf8) {
      out += s
    } else if s.count <= maxQuotedLength, s.allSatisfy(isQuotedChar) {
      out.append(0x22)
      out += s
      out.append(0x22)
    } else {
      out += Array("{\(s.count)}\r\n".utf8)
      out += s
    }
  }

  /// `imparse_isnatom` (3.6.1 lib/imparse.c:150): no byte ≥ 0x80, below 0x1F, 0x7F, SP,
  /// `{ ( ) " % * \`, and shorter than 1024. 0x1F (the 3.6 hierarchy separator) passes.
  static func isAtom(_ s: [UInt8]) -> Bool {
    guard !s.isEmpty, s.count <= maxQuotedLength else { return false }
    return s.allSatisfy { b in
      !(b >= 0x80 || b < 0x1F || b == 0x7F || b == 0x20 || b == 0x7B || b == 0x28 || b == 0x29
        || b == 0x22 || b == 0x25 || b == 0x2A || b == 0x5C)
    }
  }

  /// `isQCHAR` (3.6.1 lib/prot.c:1318) plus NUL, which `prot_printmap` sends to a literal.
  static func isQuotedChar(_ b: UInt8) -> Bool {
    !(b >= 0x80 || b == 0x0D || b == 0x0A || b == 0x22 || b == 0x25 || b == 0x5C || b == 0)
  }
}
