import CyrusFormats

@testable import CyrusStore

// Shared with the fuzz package (fuzz/Sources/FuzzBodies links here): each fuzz target of
// CyrusFormats and CyrusStore runs its body below, and DamagedInputReplayTests runs the same
// body on every input in corpora/damaged/TARGET/, so a crash found once is replayed forever.

/// What each fuzz target does with one input: parse it every way the tool does. Any trap,
/// crash or unbounded loop is a bug; thrown errors are the expected outcome for junk.
enum FuzzBodies {
  static let dumpFormats: [MailboxListDump.Format?] = [
    nil, .cyrus22, .cyrus22Debian, .cyrus23, .cyrus30,
  ]

  /// `imapd.conf` text (ImapdConf).
  static func imapdConf(_ bytes: [UInt8]) {
    let conf = ImapdConf(parsing: bytes, source: "fuzz")
    var merged = ImapdConf()
    merged.merge(conf)
    merged.merge(conf)
    _ = merged.bool("hashimapspool")
    _ = merged.prefixed("partition")
    _ = merged["configdirectory"]
    _ = merged.location(of: "sievedir")
    _ = merged.diagnostics.map(\.description)
  }

  /// Skiplist databases (SkiplistReader).
  static func skiplist(_ bytes: [UInt8]) {
    let (choice, data) = variant(bytes, of: 2)
    guard let reader = try? SkiplistReader(data, keyOrder: choice == 0 ? .signedChar : .mailbox)
    else { return }
    _ = try? reader.forEachRecord { _ in }
  }

  /// Twoskip databases (TwoskipReader, verifyLayout).
  static func twoskip(_ bytes: [UInt8]) {
    guard let reader = try? TwoskipReader(bytes) else { return }
    _ = try? reader.forEachRecord { _ in }
    _ = try? reader.verifyLayout()
  }

  /// Flat databases of both escapings (FlatReader).
  static func flat(_ bytes: [UInt8]) {
    let (choice, data) = variant(bytes, of: 2)
    let reader = FlatReader(data, escaping: choice == 0 ? .binarySafe : .none)
    _ = try? reader.forEachRecord { _ in }
    _ = CyrusDBKind.detect(data)
  }

  /// Dlist text (Dlist.parse, printed again and parsed back).
  static func dlist(_ bytes: [UInt8]) {
    guard let dlist = try? Dlist.parse(bytes) else { return }
    let printed = dlist.printed()
    guard let again = try? Dlist.parse(printed) else {
      fatalError("a printed dlist does not parse: \(printed)")
    }
    precondition(again.printed() == printed, "printing a dlist is not stable")
  }

  /// mailboxes.db records of every version and layout (MailboxEntry).
  static func mailboxEntry(_ bytes: [UInt8]) {
    let (choice, data) = variant(bytes, of: 2)
    let tab = data.firstIndex(of: 0x09) ?? data.endIndex
    let key = Array(data[..<tab])
    let value = tab < data.endIndex ? Array(data[(tab + 1)...]) : []
    _ = MailboxEntry.guessLayout(key: key, value: value)
    _ = try? MailboxEntry.parseRecord(
      key: key, value: value, layout: choice == 0 ? .byName : .keyspaces36)
    _ = try? MailboxEntry(name: MailboxName(String(decoding: key, as: UTF8.self)), value: value)
  }

  /// `ctl_mboxlist -d` text dumps of every format (MailboxListDumpParser).
  static func dumpText(_ bytes: [UInt8]) {
    let (choice, data) = variant(bytes, of: dumpFormats.count)
    var parser = MailboxListDumpParser(format: dumpFormats[choice])
    // Fed in uneven pieces, as 64 KiB reads cut lines anywhere.
    var start = 0
    var step = 1
    do {
      while start < data.count {
        let end = min(data.count, start + step)
        try parser.feed(data[start..<end]) { _ in }
        start = end
        step = step * 3 % 97 + 1
      }
      try parser.finish()
    } catch {}
    if let format = dumpFormats[choice] {
      for line in data.split(separator: 0x0A).prefix(64) {
        _ = try? MailboxListDump.parseTextLine(Array(line), format: format, lineNumber: 1)
      }
    }
  }

  /// Cyrus 3.6 JSON dumps and JSON values (JSONValue.parse).
  static func dumpJson(_ bytes: [UInt8]) {
    _ = try? JSONValue.parse(bytes)
    if let entries = try? MailboxListDump.parseJSONDocument(bytes) {
      _ = MailboxListDump.json36Document(entries)
    }
    _ = try? MailboxListDump.parse(bytes, format: .cyrus36)
  }

  /// `cyrus.header` of 2.2–3.6 (MailboxHeader.parse).
  static func cyrusHeader(_ bytes: [UInt8]) {
    guard let header = try? MailboxHeader.parse(bytes) else { return }
    for slot in 0..<130 { _ = header.userFlagName(slot) }
  }

  /// `cyrus.index` and `cyrus.expunge` of minor 6–17 (IndexReader).
  static func cyrusIndex(_ bytes: [UInt8]) {
    let (choice, data) = variant(bytes, of: 2)
    guard let reader = try? IndexReader(data) else { return }
    let flags: [String?]? = choice == 0 ? nil : ["$Label1", nil, "Junk"]
    _ = try? reader.forEachRecord(userFlags: flags) { record in
      _ = record.syncCRC(userFlags: flags ?? [])
    }
  }

  /// Seen values and sequence sets (SeenValue, SequenceSet).
  static func seen(_ bytes: [UInt8]) {
    if let value = try? SeenValue(parsing: bytes) {
      _ = value.seen.description
      _ = value.seen.contains(value.lastUID)
    }
    if let set = try? SequenceSet(parsing: bytes) {
      _ = set.intersection(SequenceSet(ranges: [1...100]))
      _ = set.description
    }
  }

  /// Subscription databases, read as flat, into Subscriptions.
  static func subscriptions(_ bytes: [UInt8]) {
    let (choice, data) = variant(bytes, of: 2)
    guard let (records, _) = try? FlatReader(data).allRecords() else { return }
    _ = try? Subscriptions(
      records: records, userid: "anna", defaultDomain: choice == 0 ? nil : "example.org")
  }

  /// Quota files (QuotaRecord.parse).
  static func quota(_ bytes: [UInt8]) {
    _ = try? QuotaRecord.parse(bytes)
  }

  /// ACL strings and rights letters (ACL, ACLRights).
  static func acl(_ bytes: [UInt8]) {
    let text = String(decoding: bytes, as: UTF8.self)
    let acl = ACL(tabSeparated: text)
    _ = acl.isIdentical(to: ACL(tabSeparated: text))
    _ = ACLRights.parse(text)
  }

  /// Entry paths and spool names (EntryPath, SpoolNaming).
  static func entryPath(_ bytes: [UInt8]) {
    let path = EntryPath(bytes: bytes)
    _ = path.components
    _ = path.lastComponent
    _ = path.parent
    _ = path.isInside(EntryPath(bytes: Array(bytes.prefix(bytes.count / 2))))
    _ = EntryPath.escape(bytes)
    _ = path.description
    for hashed in [false, true] {
      let naming = SpoolNaming(hashed: hashed)
      _ = naming.uniqueID(of: path)
      _ = naming.legacyName(of: path)
    }
    _ = StateSummary.kind(of: path)
  }

  /// Every target's body by target name.
  static let all: [String: @Sendable ([UInt8]) -> Void] = [
    "imapd-conf": imapdConf,
    "skiplist": skiplist,
    "twoskip": twoskip,
    "flat": flat,
    "dlist": dlist,
    "mailbox-entry": mailboxEntry,
    "dump-text": dumpText,
    "dump-json": dumpJson,
    "cyrus-header": cyrusHeader,
    "cyrus-index": cyrusIndex,
    "seen": seen,
    "subscriptions": subscriptions,
    "quota": quota,
    "acl": acl,
    "entry-path": entryPath,
  ]

  /// The body of target `name`.
  static func body(_ name: String) -> @Sendable ([UInt8]) -> Void {
    guard let body = all[name] else { preconditionFailure("no fuzz body \(name)") }
    return body
  }

  /// Splits an input at its first byte: the byte picks one of `count` variants, the rest is
  /// the data.
  static func variant(_ bytes: [UInt8], of count: Int) -> (Int, [UInt8]) {
    guard let first = bytes.first, count > 0 else { return (0, bytes) }
    return (Int(first) % count, Array(bytes.dropFirst()))
  }
}
