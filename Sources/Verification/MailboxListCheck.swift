import CyrusFormats
import CyrusStore

/// The mailbox-list stage of `verify`: both sides' mailboxes.db compared entry by entry, each
/// side's mailboxes.db cross-checked with its own spool, and each side's `mailboxlist.txt`
/// checked against its own mailboxes.db. Holds one entry per mailbox, never per message.
public enum MailboxListCheck {
  /// Runs every check and sends the findings to `sink`.
  public static func run(primary: MailboxSide, failover: MailboxSide, sink: any FindingSink) {
    for side in [primary, failover] {
      switch side.list {
      case .failure(let error):
        sink.emit(
          Finding(
            .mailboxesDBUnreadable, side: side.side, area: "config", detail: error.description))
      case .success(let list):
        for problem in list.problems {
          sink.emit(
            Finding(.mailboxesDBRecordInvalid, side: side.side, area: "config", detail: problem))
        }
        crossCheck(list, side: side, sink: sink)
        checkDump(side: side, list: list, sink: sink)
      }
    }
    if case .success(let left) = primary.list, case .success(let right) = failover.list {
      compare(left.entries, right.entries, sink: sink)
    }
  }

  /// Entry by entry across sides (merge-join on sorted names).
  static func compare(_ primary: [MailboxEntry], _ failover: [MailboxEntry], sink: any FindingSink)
  {
    var left = primary[...]
    var right = failover[...]
    while let p = left.first, let f = right.first {
      if p.name < f.name {
        sink.emit(
          Finding(
            .mailboxMissing, side: .failover, mailbox: p.name.internalName, primary: describe(p)))
        left = left.dropFirst()
      } else if f.name < p.name {
        sink.emit(
          Finding(
            .mailboxExtra, side: .failover, mailbox: f.name.internalName, failover: describe(f)))
        right = right.dropFirst()
      } else {
        for finding in differences(p, f) { sink.emit(finding) }
        left = left.dropFirst()
        right = right.dropFirst()
      }
    }
    for p in left {
      sink.emit(
        Finding(
          .mailboxMissing, side: .failover, mailbox: p.name.internalName, primary: describe(p)))
    }
    for f in right {
      sink.emit(
        Finding(.mailboxExtra, side: .failover, mailbox: f.name.internalName, failover: describe(f))
      )
    }
  }

  static func differences(_ p: MailboxEntry, _ f: MailboxEntry) -> [Finding] {
    var findings: [Finding] = []
    func add(_ code: FindingCode, _ left: String, _ right: String) {
      findings.append(
        Finding(code, side: .both, mailbox: p.name.internalName, primary: left, failover: right))
    }
    if p.partition != f.partition {
      add(.mailboxPartitionMismatch, p.partition ?? "(none)", f.partition ?? "(none)")
    }
    if p.type != f.type { add(.mailboxTypeMismatch, p.type.description, f.type.description) }
    if p.acl != f.acl { add(.mailboxACLMismatch, p.acl.description, f.acl.description) }
    if p.uniqueID != f.uniqueID {
      add(.mailboxUniqueIDMismatch, p.uniqueID ?? "(none)", f.uniqueID ?? "(none)")
    }
    return findings
  }

  /// Whether an entry should have a spool directory: not a tombstone, placeholder, reservation
  /// or a mailbox on another server.
  static func hasDirectory(_ entry: MailboxEntry) -> Bool {
    entry.type.flags.isDisjoint(with: [.deleted, .intermediate, .reserve, .remote])
      && entry.partition != nil
  }

  /// mailboxes.db against the mailbox directories the walk found on the same side: each entry
  /// has its directory, each directory its entry, and the uniqueid in the directory's
  /// cyrus.header is the one the entry records (2.5+ entries record one).
  static func crossCheck(_ list: MailboxList, side: MailboxSide, sink: any FindingSink) {
    var found: [String: MailboxDirectory] = [:]
    for directory in side.directories {
      found[key(area: directory.area, path: directory.path)] = directory
    }
    var expected: Set<String> = []
    for entry in list.entries {
      let name = entry.name.internalName
      guard entry.name.isSafeAsPath else {
        sink.emit(
          Finding(.mailboxNameUnsafe, side: side.side, mailbox: EntryPath.escape(Array(name.utf8))))
        continue
      }
      guard hasDirectory(entry), let partition = entry.partition else { continue }
      guard let path = side.location.directory(of: entry, layout: list.layout) else {
        sink.emit(
          Finding(
            .mailboxNameUnsafe, side: side.side, mailbox: name,
            detail: "uniqueid \(entry.uniqueID ?? "-")"))
        continue
      }
      let areas = ["partition-\(partition)", "metapartition-\(partition)"]
      for area in areas { expected.insert(key(area: area, path: path)) }
      if let directory = areas.lazy.compactMap({ found[key(area: $0, path: path)] }).first {
        if let recorded = entry.uniqueID, let header = directory.headerUniqueID, recorded != header
        {
          let values = "mailboxes.db \(recorded), cyrus.header \(header)"
          sink.emit(
            Finding(
              .mailboxHeaderUniqueIDMismatch, side: side.side, area: directory.area,
              path: directory.path.appending(Array("cyrus.header".utf8)).description,
              mailbox: name, primary: side.side == .primary ? values : nil,
              failover: side.side == .failover ? values : nil))
        }
      } else {
        let detail =
          side.areaNames.contains(areas[0]) ? nil : "no partition-\(partition) in imapd.conf"
        sink.emit(
          Finding(
            .mailboxDirectoryMissing, side: side.side, area: areas[0], path: path.description,
            mailbox: name,
            detail: detail))
      }
    }
    for directory in side.directories
    where !expected.contains(key(area: directory.area, path: directory.path)) {
      sink.emit(
        Finding(
          .mailboxDirectoryOrphan, side: side.side, area: directory.area,
          path: directory.path.description,
          mailbox: directory.headerName))
    }
  }

  /// mailboxlist.txt against mailboxes.db on one side, field by field as far as the dump's
  /// format carries them (``MailboxListDumpCheck``).
  static func checkDump(side: MailboxSide, list: MailboxList, sink: any FindingSink) {
    guard let dump = side.dump else { return }
    switch dump {
    case .failure(let error):
      sink.emit(
        Finding(
          .mailboxListMalformed, side: side.side, area: "config", path: "mailboxlist.txt",
          detail: error.description))
    case .success(let parsed):
      let format = parsed.format ?? .cyrus36
      for difference in MailboxListDumpCheck.compare(
        database: list.entries, dump: parsed.entries, format: format)
      {
        sink.emit(
          Finding(
            .mailboxListStale, side: side.side, area: "config", path: "mailboxlist.txt",
            mailbox: difference.name.internalName, detail: difference.description))
      }
    }
  }

  static func key(area: String, path: EntryPath) -> String {
    area + "\u{0}" + path.description
  }

  static func describe(_ entry: MailboxEntry) -> String {
    "\(entry.type) \(entry.partition ?? "-") \(entry.acl)"
  }
}
