extension JSONValue {
  /// The text jansson's `json_dumps(value, flags)` writes with no indent and without
  /// `JSON_COMPACT`, `JSON_ENSURE_ASCII`, `JSON_ESCAPE_SLASH` or `JSON_SORT_KEYS`
  /// (jansson src/dump.c, 2.8+ keeps insertion order): separators `", "` and `": "`; `{}` and
  /// `[]` when empty; strings escape `"` `\` and control characters below 0x20 only (`\b \f
  /// \n \r \t`, else `\u00XX` in uppercase hex); `/`, DEL and non-ASCII stay raw.
  /// With `embed` (`JSON_EMBED`) the outermost braces or brackets are left out.
  public func janssonText(embed: Bool = false) -> String {
    var out = ""
    write(into: &out, embed: embed)
    return out
  }

  func write(into out: inout String, embed: Bool) {
    switch self {
    case .null: out += "null"
    case .bool(let b): out += b ? "true" : "false"
    case .number(let n): out += n
    case .string(let s): Self.writeString(s, into: &out)
    case .array(let items):
      if !embed { out += "[" }
      for (i, item) in items.enumerated() {
        if i > 0 { out += ", " }
        item.write(into: &out, embed: false)
      }
      if !embed { out += "]" }
    case .object(let members):
      if !embed { out += "{" }
      for (i, m) in members.enumerated() {
        if i > 0 { out += ", " }
        Self.writeString(m.key, into: &out)
        out += ": "
        m.value.write(into: &out, embed: false)
      }
      if !embed { out += "}" }
    }
  }

  static func writeString(_ s: String, into out: inout String) {
    out += "\""
    for u in s.unicodeScalars {
      switch u {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\u{08}": out += "\\b"
      case "\u{0C}": out += "\\f"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      case "\u{00}"..."\u{1F}":
        let h = String(u.value, radix: 16, uppercase: true)
        out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
      default: out.unicodeScalars.append(u)
      }
    }
    out += "\""
  }
}
