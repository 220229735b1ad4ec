/// Text from outside — mailbox names, user names, errno texts, a peer's messages — made safe
/// for a terminal: control characters (C0, DEL, C1) become `\xNN`, so an escape sequence in a
/// hostile tree or from a peer can never reach the operator's terminal.
public enum Terminal {
  /// `text` with every control character but the newline escaped.
  public static func safe(_ text: String, keepNewlines: Bool = false) -> String {
    guard text.unicodeScalars.contains(where: { isControl($0, keepNewlines) }) else { return text }
    var out = ""
    for scalar in text.unicodeScalars {
      if isControl(scalar, keepNewlines) {
        let hex = String(scalar.value, radix: 16)
        out += "\\x" + (hex.count < 2 ? "0" + hex : hex)
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  static func isControl(_ scalar: Unicode.Scalar, _ keepNewlines: Bool) -> Bool {
    if keepNewlines && scalar == "\n" { return false }
    return scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
  }
}
