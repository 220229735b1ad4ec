/// Text from outside (mailbox names, paths, hosts, commands, error texts) made safe for an HTML
/// page: the five characters HTML gives meaning to become references, and control characters
/// (which HTML forbids, and which a terminal or a parser may act on) become visible `\xNN`, the
/// way the reports write bytes of a path that are not printable.
enum HTMLText {
  /// `text` as HTML character data or attribute value (quoted with `"`).
  static func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": out += "&amp;"
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "\"": out += "&quot;"
      case "'": out += "&#39;"
      case "\n", "\t": out.unicodeScalars.append(scalar)
      case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
        out += "\\x" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
      case _ where (0xFDD0...0xFDEF).contains(scalar.value) || scalar.value & 0xFFFE == 0xFFFE:
        // Noncharacters, which HTML also forbids.
        out += "\\u{" + String(scalar.value, radix: 16) + "}"
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}

/// A page being written: elements opened and closed in order, every text escaped on the way
/// in, so the markup is well-formed (also as XML) by construction.
struct HTMLPage {
  private(set) var text = ""
  private var open: [String] = []

  /// Raw markup the page's own code wrote (never outside text).
  mutating func raw(_ markup: String) { text += markup }

  /// Outside text, escaped.
  mutating func put(_ value: String) { text += HTMLText.escape(value) }

  /// `<name attributes>`; attribute values are escaped.
  mutating func start(_ name: String, _ attributes: [(String, String)] = []) {
    text += "<" + name
    for (key, value) in attributes { text += " \(key)=\"\(HTMLText.escape(value))\"" }
    text += ">"
    open.append(name)
  }

  /// Closes the innermost open element, which must be `name`; a block ends its line, so the
  /// page's source reads too.
  mutating func end(_ name: String) {
    precondition(open.last == name, "HTMLPage closes elements in the order they were opened")
    open.removeLast()
    text += "</\(name)>"
    if Self.blocks.contains(name) { text += "\n" }
  }

  /// Elements after which the source breaks its line.
  static let blocks: Set = [
    "head", "title", "style", "h1", "h2", "h3", "h4", "p", "pre", "table", "tr", "section",
  ]

  /// An element holding only text.
  mutating func element(_ name: String, _ value: String, _ attributes: [(String, String)] = []) {
    start(name, attributes)
    put(value)
    end(name)
  }

  /// A table row of text cells (`th` for a heading row).
  mutating func row(_ cells: [String], heading: Bool = false, _ attributes: [(String, String)] = [])
  {
    start("tr", attributes)
    for cell in cells { element(heading ? "th" : "td", cell) }
    end("tr")
  }

  /// The page; every element must be closed.
  var finished: String {
    precondition(open.isEmpty, "HTMLPage: \(open) still open")
    return text
  }
}
