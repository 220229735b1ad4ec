/// The 3.6 JSON dump (3.6.1 imap/ctl_mboxlist.c:558-688, `dump_cb` and `do_dump`).
///
/// `do_dump` prints `{` LF, then each entry's `json_dumps({name: {...}}, JSON_EMBED)` with
/// `,` LF between entries, then LF `}` LF. Members appear in the order `dump_cb` sets them:
/// name, mtime, uidvalidity, createdmodseq, foldermodseq, mbtype, partition, server, acl,
/// uniqueid, legacy_specialuse, name_history. Every number is a JSON string. A member whose C
/// value is NULL (partition, server, uniqueid, legacy_specialuse) is left out, because
/// `json_string(NULL)` fails and `json_object_set_new` then sets nothing. `acl` is always an
/// object (`{}` for a tombstone); `name_history` always an array (`[]` for entries read from
/// `N` records, which have no `H`).
extension MailboxListDump {
  /// The document start `do_dump` prints (`puts("{")`).
  public static let json36Header: [UInt8] = Array("{\n".utf8)
  /// The document end (`puts("\n}")`), preceded by nothing else: entries carry no final LF.
  public static let json36Footer: [UInt8] = Array("\n}\n".utf8)

  /// The member for one entry as `dump_cb` builds it.
  public static func json36Object(_ e: MailboxEntry) -> JSONValue {
    var m: [JSONValue.Member] = [
      .init("name", .string(e.name.internalName)),
      .init("mtime", .string(String(e.mtime))),
      .init("uidvalidity", .string(String(e.uidValidity))),
      .init("createdmodseq", .string(String(e.createdModseq))),
      .init("foldermodseq", .string(String(e.folderModseq))),
      .init("mbtype", .string(e.type.cyrus36Letters)),
    ]
    if let p = e.partition { m.append(.init("partition", .string(p))) }
    if let s = e.server { m.append(.init("server", .string(s))) }
    m.append(.init("acl", aclObject(e.acl)))
    if let u = e.uniqueID { m.append(.init("uniqueid", .string(u))) }
    if let s = e.legacySpecialUse { m.append(.init("legacy_specialuse", .string(s))) }
    let history: [JSONValue] = e.nameHistory.map { h in
      var hm: [JSONValue.Member] = [
        .init("name", .string(h.name.internalName)),
        .init("mtime", .string(String(h.mtime))),
        .init("uidvalidity", .string(String(h.uidValidity))),
        .init("createdmodseq", .string(String(h.createdModseq))),
        .init("foldermodseq", .string(String(h.folderModseq))),
        .init("mbtype", .string(h.type.cyrus36Letters)),
      ]
      if let p = h.partition { hm.append(.init("partition", .string(p))) }
      return .object(hm)
    }
    m.append(.init("name_history", .array(history)))
    return .object(m)
  }

  /// `acl_to_json`: identifiers in stored order; a repeated identifier keeps its first position
  /// and takes the last rights (jansson replaces a value in place).
  static func aclObject(_ acl: ACL) -> JSONValue {
    var members: [JSONValue.Member] = []
    for e in acl.entries {
      if let i = members.firstIndex(where: { $0.key == e.identifier }) {
        members[i].value = .string(e.rawRights)
      } else {
        members.append(.init(e.identifier, .string(e.rawRights)))
      }
    }
    return .object(members)
  }

  /// One entry's text as `dump_cb` prints it, without separator or LF.
  public static func json36Line(_ entry: MailboxEntry) -> [UInt8] {
    let doc = JSONValue.object([.init(entry.name.internalName, json36Object(entry))])
    return Array(doc.janssonText(embed: true).utf8)
  }

  /// A whole 3.6 dump of `entries`, in the order given (Cyrus prints mailboxes.db key order).
  public static func json36Document<S: Sequence>(_ entries: S) -> [UInt8]
  where S.Element == MailboxEntry {
    var out = json36Header
    var first = true
    for e in entries {
      if !first { out += Array(",\n".utf8) }
      first = false
      out += json36Line(e)
    }
    return out + json36Footer
  }

  /// Reads one `"name": {...}` member value as 3.6's undump would, keeping every field.
  static func entry(name: String, json: JSONValue) throws -> MailboxEntry {
    guard case .object = json else {
      throw MailboxEntryError(.badValue, detail: "\"\(name)\" is not an object")
    }
    var e = MailboxEntry(name: MailboxName(name))
    e.mtime = try jsonNumber(json["mtime"], "mtime", max: UInt64(Int64.max)).map(Int64.init) ?? 0
    e.uidValidity =
      try jsonNumber(json["uidvalidity"], "uidvalidity", max: UInt64(UInt32.max)).map(UInt32.init)
      ?? 0
    e.createdModseq = try jsonNumber(json["createdmodseq"], "createdmodseq") ?? 0
    e.folderModseq = try jsonNumber(json["foldermodseq"], "foldermodseq") ?? 0
    if let t = json["mbtype"] { e.type = try MailboxType(letters: try jsonString(t, "mbtype")) }
    e.partition = try json["partition"].map { try jsonString($0, "partition") }
    e.server = try json["server"].map { try jsonString($0, "server") }
    e.uniqueID = try json["uniqueid"].map { try jsonString($0, "uniqueid") }
    e.legacySpecialUse = try json["legacy_specialuse"].map {
      try jsonString($0, "legacy_specialuse")
    }
    if case .object(let pairs)? = json["acl"] {
      e.acl = ACL(
        try pairs.map { ACL.Entry(identifier: $0.key, rights: try jsonString($0.value, "acl")) })
    } else if json["acl"] != nil {
      throw MailboxEntryError(.badValue, detail: "acl is not an object")
    }
    if case .array(let items)? = json["name_history"] {
      e.nameHistory = try items.map { item in
        var h = MailboxEntry.FormerName(
          name: MailboxName(try item["name"].map { try jsonString($0, "name") } ?? ""))
        h.mtime =
          try jsonNumber(item["mtime"], "mtime", max: UInt64(Int64.max)).map(Int64.init) ?? 0
        h.uidValidity =
          try jsonNumber(item["uidvalidity"], "uidvalidity", max: UInt64(UInt32.max)).map(
            UInt32.init) ?? 0
        h.createdModseq = try jsonNumber(item["createdmodseq"], "createdmodseq") ?? 0
        h.folderModseq = try jsonNumber(item["foldermodseq"], "foldermodseq") ?? 0
        if let t = item["mbtype"] { h.type = try MailboxType(letters: try jsonString(t, "mbtype")) }
        h.partition = try item["partition"].map { try jsonString($0, "partition") }
        return h
      }
    }
    return e
  }

  static func jsonString(_ v: JSONValue, _ key: String) throws -> String {
    guard case .string(let s) = v else {
      throw MailboxEntryError(.badValue, detail: "\(key) is not a string")
    }
    return s
  }

  /// A decimal number written as a JSON string (as 3.6 does) or a JSON number of digits.
  static func jsonNumber(_ v: JSONValue?, _ key: String, max: UInt64 = .max) throws -> UInt64? {
    let text: String
    switch v {
    case nil, .null?: return nil
    case .string(let s)?: text = s
    case .number(let s)?: text = s
    default: throw MailboxEntryError(.badNumber, detail: "\(key) is not a number")
    }
    guard let n = Dlist.string(Array(text.utf8)).number, n <= max else {
      throw MailboxEntryError(.badNumber, detail: "\(key) \"\(text)\"")
    }
    return n
  }
}
