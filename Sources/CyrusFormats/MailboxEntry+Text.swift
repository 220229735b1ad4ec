/// Reading the text form of an entry: 2.2 – 2.4 `mbtype SP partition SP acl` and the
/// transitional `(uniqueid U specialuse S) mbtype partition acl`
/// (2.2.13 cyrus/imap/mboxlist.c:152-230; 3.6.1 imap/mboxlist.c:685-733).
///
/// A partition containing `!` is `server!partition` (remote and moving mailboxes). The ACL is
/// everything after the SP that ends the partition; values have no NUL terminator on disk.
extension MailboxEntry {
  mutating func applyText(_ value: [UInt8]) throws {
    var rest = value[...]
    if rest.first == UInt8(ascii: "(") {
      guard let close = rest.firstIndex(of: UInt8(ascii: ")")) else {
        throw MailboxEntryError(.badValue, detail: "unterminated ( in \(printable(value))")
      }
      let words = rest[(rest.startIndex + 1)..<close].split(separator: UInt8(ascii: " "))
      guard words.count % 2 == 0 else {
        throw MailboxEntryError(.badValue, detail: "odd (key value) list in \(printable(value))")
      }
      for i in stride(from: 0, to: words.count, by: 2) {
        let v = String(decoding: words[i + 1], as: UTF8.self)
        switch String(decoding: words[i], as: UTF8.self) {
        case "uniqueid": uniqueID = v
        case "specialuse": legacySpecialUse = v
        default: break
        }
      }
      rest = rest[(close + 1)...]
      if rest.first == UInt8(ascii: " ") { rest = rest.dropFirst() }
    }
    let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
    guard !digits.isEmpty, digits.count <= 9, let n = Int(String(decoding: digits, as: UTF8.self))
    else {
      throw MailboxEntryError(.badValue, detail: "no numeric mbtype in \(printable(value))")
    }
    type = try MailboxType(legacyNumber: n)
    rest = rest.dropFirst(digits.count)
    guard rest.first == UInt8(ascii: " ") else {
      throw MailboxEntryError(.badValue, detail: "no SP after mbtype in \(printable(value))")
    }
    rest = rest.dropFirst()
    let partEnd = rest.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
    (server, partition) = Self.splitServer(rest[..<partEnd])
    let aclBytes = partEnd == rest.endIndex ? [] : rest[(partEnd + 1)...]
    acl = ACL(tabSeparated: String(decoding: aclBytes, as: UTF8.self))
  }

  /// `server!partition` → (server, partition); no `!` → (nil, partition).
  static func splitServer<C: Collection>(_ token: C) -> (String?, String) where C.Element == UInt8 {
    let text = String(decoding: token, as: UTF8.self)
    guard let bang = text.firstIndex(of: "!") else { return (nil, text) }
    return (String(text[..<bang]), String(text[text.index(after: bang)...]))
  }
}
