/// Reading the dlist form of an entry: 2.5 – 3.4 values and 3.6 `N`/`I` values
/// (3.6.1 imap/mboxlist.c:541-640 `parseentry_cb`; writer :259-316 `mboxlist_entry_dlist`;
/// 2.5 – 3.4 writer 3.4.9 imap/mboxlist.c:224-258).
///
/// | key | field |
/// |---|---|
/// | `A` | ACL kvlist `%(id rights …)` |
/// | `I` | uniqueid |
/// | `N` | dbname (I records) |
/// | `P` / `S` | partition / server |
/// | `T` | mbtype letters |
/// | `V` / `C` / `F` | uidvalidity / createdmodseq / foldermodseq |
/// | `M` | mtime |
/// | `H` | name history: list of kvlists with `N M V C F T P` |
///
/// Unknown keys are ignored, as Cyrus ignores them.
extension MailboxEntry {
  mutating func apply(_ dlist: Dlist, deletedPrefix: String) throws {
    guard let fields = dlist.fields else {
      throw MailboxEntryError(.badValue, detail: "dlist value is not a kvlist")
    }
    for field in fields {
      let value = field.value
      switch String(decoding: field.key, as: UTF8.self) {
      case "A":
        if let pairs = value.fields {
          acl = ACL(
            pairs.map {
              ACL.Entry(
                identifier: String(decoding: $0.key, as: UTF8.self), rights: $0.value.text ?? "")
            })
        }
      case "I": uniqueID = value.text
      case "P": partition = value.text
      case "S": server = value.text
      case "T": if let t = value.text { type = try MailboxType(letters: t) }
      case "V":
        uidValidity = try Self.number(value, "V", max: UInt64(UInt32.max)).map(UInt32.init) ?? 0
      case "C": createdModseq = try Self.number(value, "C") ?? 0
      case "F": folderModseq = try Self.number(value, "F") ?? 0
      case "M": mtime = try Self.number(value, "M", max: UInt64(Int64.max)).map(Int64.init) ?? 0
      case "N":
        if name.internalName.isEmpty, let b = value.bytes {
          name = MailboxName(dbname: b, deletedPrefix: deletedPrefix)
          dbname = b
        }
      case "H":
        nameHistory = try (value.elements ?? []).compactMap {
          try Self.formerName($0, deletedPrefix)
        }
      default: break
      }
    }
  }

  /// A decimal field; nil for NIL or a non-string, an error for anything but digits.
  static func number(_ value: Dlist, _ key: String, max: UInt64 = .max) throws -> UInt64? {
    guard let bytes = value.bytes else { return nil }
    guard let n = value.number, n <= max else {
      throw MailboxEntryError(.badNumber, detail: "\(key) \(printable(bytes))")
    }
    return n
  }

  static func formerName(_ item: Dlist, _ deletedPrefix: String) throws -> FormerName? {
    guard item.fields != nil else { return nil }
    var former = FormerName(name: MailboxName(""))
    if let b = item["N"]?.bytes {
      former.name = MailboxName(dbname: b, deletedPrefix: deletedPrefix)
    }
    if let v = item["M"] {
      former.mtime = try number(v, "M", max: UInt64(Int64.max)).map(Int64.init) ?? 0
    }
    if let v = item["V"] {
      former.uidValidity = try number(v, "V", max: UInt64(UInt32.max)).map(UInt32.init) ?? 0
    }
    if let v = item["C"] { former.createdModseq = try number(v, "C") ?? 0 }
    if let v = item["F"] { former.folderModseq = try number(v, "F") ?? 0 }
    if let t = item["T"]?.text { former.type = try MailboxType(letters: t) }
    former.partition = item["P"]?.text
    return former
  }
}
