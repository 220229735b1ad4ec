extension MailboxEntry {
  /// Parses one mailboxes.db record.
  ///
  /// - `.byName`: keys starting with `$` (`$RACL…`, `$RUNQ…`, 3.0 – 3.4 reverse ACLs) are
  ///   ignored; any other key is an internal name and the value goes to
  ///   ``init(name:value:)``.
  /// - `.keyspaces36`: `N` + dbname → ``MailboxesDBItem/mailbox(_:)``; `I` + uniqueid →
  ///   ``MailboxesDBItem/uniqueIDRecord(_:)``; `A…`, `$…` and 0x1F-prefixed keys are ignored.
  public static func parseRecord(
    key: [UInt8], value: [UInt8], layout: MailboxesDBLayout,
    deletedPrefix: String = MailboxName.defaultDeletedPrefix
  ) throws -> MailboxesDBItem {
    guard let first = key.first else {
      throw MailboxEntryError(.badKey, detail: "empty key")
    }
    switch layout {
    case .byName:
      if first == UInt8(ascii: "$") { return .ignored(key) }
      return .mailbox(
        try MailboxEntry(name: MailboxName(String(decoding: key, as: UTF8.self)), value: value))
    case .keyspaces36:
      switch first {
      case UInt8(ascii: "N"):
        let dbname = Array(key.dropFirst())
        var entry = try MailboxEntry(
          name: MailboxName(dbname: dbname, deletedPrefix: deletedPrefix), value: value,
          deletedPrefix: deletedPrefix)
        entry.dbname = dbname
        return .mailbox(entry)
      case UInt8(ascii: "I"):
        var entry = try MailboxEntry(
          name: MailboxName(""), value: value, deletedPrefix: deletedPrefix)
        entry.uniqueID = String(decoding: key.dropFirst(), as: UTF8.self)
        return .uniqueIDRecord(entry)
      case UInt8(ascii: "A"), UInt8(ascii: "$"), MailboxName.hierarchySeparator:
        return .ignored(key)
      default:
        throw MailboxEntryError(.badKey, detail: "3.6 key \(printable(key))")
      }
    }
  }

  /// Guesses the layout from one record, as 3.6's `_check_rec_cb` decides whether to upgrade
  /// (3.6.1 imap/mboxlist.c:5352): `$RACL`/`$RUNQ` keys → `.byName`; an `N` key whose value is a
  /// dlist starting with `T` → `.keyspaces36`; an `I` key whose value names no mailbox (`N`)
  /// → `.byName`. Returns nil when this record does not decide; feed the next one.
  public static func guessLayout(key: [UInt8], value: [UInt8]) -> MailboxesDBLayout? {
    guard let first = key.first else { return nil }
    switch first {
    case UInt8(ascii: "$"):
      let p = key.prefix(5)
      return p.elementsEqual("$RACL".utf8) || p.elementsEqual("$RUNQ".utf8) ? .byName : nil
    case UInt8(ascii: "N"):
      guard let dl = try? Dlist.parse(value), dl.fields?.first?.key == [UInt8(ascii: "T")] else {
        return value.first == UInt8(ascii: "%") ? nil : .byName
      }
      return .keyspaces36
    case UInt8(ascii: "I"):
      if value.first != UInt8(ascii: "%") { return .byName }
      guard let dl = try? Dlist.parse(value) else { return nil }
      return dl["N"] == nil ? .byName : .keyspaces36
    default:
      return .byName
    }
  }

  /// Parses a mailboxes.db value of any version for the mailbox `name`:
  /// a dlist (2.5 – 3.6, first byte `%`), the transitional `(uniqueid … specialuse …) mbtype
  /// partition acl`, or 2.2 – 2.4 `mbtype SP partition SP acl`
  /// (3.6.1 imap/mboxlist.c:659-735 `mboxlist_parse_entry`).
  public init(
    name: MailboxName, value: [UInt8], deletedPrefix: String = MailboxName.defaultDeletedPrefix
  ) throws {
    self.init(name: name)
    guard !value.isEmpty else { throw MailboxEntryError(.badValue, detail: "empty value") }
    if value[0] == UInt8(ascii: "%") {
      let dlist: Dlist
      do {
        dlist = try Dlist.parse(value)
      } catch let error as DlistError {
        throw MailboxEntryError(.badDlist, detail: error.description)
      }
      try apply(dlist, deletedPrefix: deletedPrefix)
    } else {
      try applyText(value)
    }
  }
}
