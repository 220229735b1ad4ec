import CyrusFormats
import CyrusStore

/// The mailbox-list stage of `verify`: both sides' mailboxes.db compared entry by entry, each
/// side's mailboxes.db cross-checked with its own spool, and each side's `mailboxlist.txt`
/// checked against its own mailboxes.db. Holds one entry per mailbox, never per message.
public enum MailboxListCheck {
  /// Runs every check and sends the findings to `sink`; a condition found on each side alike
  /// (the same orphan directory, the same stale dump line) is one finding with side `both`.
  public static func run(
    primary: MailboxSide, failover: MailboxSide, sink: any FindingSink,
    rules: ComparisonRules = .sameVersion
  ) {
    for finding in Finding.mergingSides(
      primary: conditions(of: primary), failover: conditions(of: failover))
    {
      sink.emit(finding)
    }
    if case .success(let left) = primary.list, case .success(let right) = failover.list {
      for finding in compare(left.entries, right.entries, rules: rules) { sink.emit(finding) }
    }
  }

  /// One side's own conditions: its mailboxes.db unreadable or with bad records, against its
  /// own spool, its dump against it.
  static func conditions(of side: MailboxSide) -> [Finding] {
    switch side.list {
    case .failure(let error):
      return [
        Finding(.mailboxesDBUnreadable, side: side.side, area: .config, reason: error.description)
      ]
    case .success(let list):
      var findings: [Finding] = list.problems.map { problem in
        var finding = Finding(.mailboxesDBRecordInvalid, side: side.side, area: .config)
        switch problem {
        case .recordInvalid(let key, let offset, let reason):
          finding.recordKey = key
          finding.offset = UInt64(max(0, offset))
          finding.reason = reason
        case .readerWarning(let warning):
          finding.reason = "\(warning)"
          finding.offset = warning.offset.map { UInt64(max(0, $0)) }
        }
        return finding
      }
      findings += crossCheck(list, side: side)
      findings += checkDump(side: side, list: list)
      return findings
    }
  }

  /// Entry by entry across sides (merge-join on sorted names).
  static func compare(
    _ primary: [MailboxEntry], _ failover: [MailboxEntry], rules: ComparisonRules = .sameVersion
  ) -> [Finding] {
    var findings: [Finding] = []
    var left = primary[...]
    var right = failover[...]
    func missing(_ p: MailboxEntry) {
      findings.append(
        Finding(
          .mailboxMissing, side: .failover, mailbox: p.name.internalName, primary: describe(p)))
    }
    func extra(_ f: MailboxEntry) {
      findings.append(
        Finding(.mailboxExtra, side: .failover, mailbox: f.name.internalName, failover: describe(f))
      )
    }
    while let p = left.first, let f = right.first {
      if p.name < f.name {
        missing(p)
        left = left.dropFirst()
      } else if f.name < p.name {
        extra(f)
        right = right.dropFirst()
      } else {
        findings += differences(p, f, rules: rules)
        left = left.dropFirst()
        right = right.dropFirst()
      }
    }
    left.forEach(missing)
    right.forEach(extra)
    return findings
  }

  /// The differences of one mailbox present on both sides; an ACL difference is one finding
  /// per identifier whose rights differ.
  /// Across versions the failover records what the older one did not: a uniqueid (compared
  /// only where both record one) and the legacy-directories flag of an imported 2.x mailbox.
  static func differences(
    _ p: MailboxEntry, _ f: MailboxEntry, rules: ComparisonRules = .sameVersion
  ) -> [Finding] {
    var findings: [Finding] = []
    func add(_ code: FindingCode, _ left: String, _ right: String) {
      findings.append(
        Finding(code, side: .both, mailbox: p.name.internalName, primary: left, failover: right))
    }
    if p.partition != f.partition {
      add(.mailboxPartitionMismatch, p.partition ?? "(none)", f.partition ?? "(none)")
    }
    var (leftType, rightType) = (p.type, f.type)
    if rules.acrossVersions {
      leftType.flags.remove(.legacyDirs)
      rightType.flags.remove(.legacyDirs)
      leftType.raw = nil
      rightType.raw = nil
    }
    if leftType != rightType {
      add(.mailboxTypeMismatch, p.type.description, f.type.description)
    }
    if p.acl != f.acl {
      for (identifier, left, right) in aclDifferences(p.acl, f.acl) {
        add(.mailboxACLMismatch, left, right)
        findings[findings.count - 1].identifier = identifier
      }
    }
    if p.uniqueID != f.uniqueID, !rules.acrossVersions || (p.uniqueID != nil && f.uniqueID != nil) {
      add(.mailboxUniqueIDMismatch, p.uniqueID ?? "(none)", f.uniqueID ?? "(none)")
    }
    return findings
  }

  /// Identifiers whose normalized rights differ, in the primary's order then the failover's:
  /// (identifier, primary rights, failover rights), `none` where a side has no entry.
  static func aclDifferences(_ left: ACL, _ right: ACL) -> [(String, String, String)] {
    func rights(_ acl: ACL) -> [String: String] {
      var byIdentifier: [String: String] = [:]
      for entry in acl.entries {
        byIdentifier[entry.identifier] = entry.rights.cyrus36String + entry.unknownRights
      }
      return byIdentifier
    }
    let mine = rights(left)
    let theirs = rights(right)
    var seen: Set<String> = []
    var result: [(String, String, String)] = []
    for identifier in left.entries.map(\.identifier) + right.entries.map(\.identifier)
    where seen.insert(identifier).inserted {
      let a = mine[identifier] ?? "none"
      let b = theirs[identifier] ?? "none"
      if a != b { result.append((identifier, a, b)) }
    }
    return result
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
  static func crossCheck(_ list: MailboxList, side: MailboxSide) -> [Finding] {
    var findings: [Finding] = []
    var found: [String: MailboxDirectory] = [:]
    for directory in side.directories {
      found[key(area: directory.area, path: directory.path)] = directory
    }
    var expected: Set<String> = []
    for entry in list.entries {
      let name = entry.name.internalName
      guard entry.name.isSafeAsPath else {
        findings.append(
          Finding(.mailboxNameUnsafe, side: side.side, mailbox: EntryPath.escape(Array(name.utf8))))
        continue
      }
      guard hasDirectory(entry), let partition = entry.partition else { continue }
      guard let path = side.location.directory(of: entry, layout: list.layout) else {
        var finding = Finding(.mailboxNameUnsafe, side: side.side, mailbox: name)
        finding.uniqueID = entry.uniqueID
        findings.append(finding)
        continue
      }
      let areas = [
        AreaName(.partition, partition: partition), AreaName(.metapartition, partition: partition),
      ]
      for area in areas { expected.insert(key(area: area.text, path: path)) }
      if let directory = areas.lazy.compactMap({ found[key(area: $0.text, path: path)] }).first {
        if let recorded = entry.uniqueID, let header = directory.headerUniqueID, recorded != header
        {
          let values = "mailboxes.db \(recorded), cyrus.header \(header)"
          var finding = Finding(
            .mailboxHeaderUniqueIDMismatch, side: side.side, area: AreaName(directory.area),
            path: directory.path.appending(Array("cyrus.header".utf8)), mailbox: name,
            primary: side.side == .primary ? values : nil,
            failover: side.side == .failover ? values : nil)
          finding.uniqueID = recorded
          findings.append(finding)
        }
      } else {
        var finding = Finding(
          .mailboxDirectoryMissing, side: side.side, area: areas[0], path: path, mailbox: name)
        if !side.areaNames.contains(areas[0].text) { finding.remark = .partitionNotConfigured }
        findings.append(finding)
      }
    }
    for directory in side.directories
    where !expected.contains(key(area: directory.area, path: directory.path)) {
      var finding = Finding(
        .mailboxDirectoryOrphan, side: side.side, area: AreaName(directory.area),
        path: directory.path, mailbox: directory.headerName)
      finding.uniqueID = directory.headerUniqueID
      findings.append(finding)
    }
    return findings
  }

  /// mailboxlist.txt against mailboxes.db on one side, field by field as far as the dump's
  /// format carries them (``MailboxListDumpCheck``).
  static func checkDump(side: MailboxSide, list: MailboxList) -> [Finding] {
    guard let dump = side.dump else { return [] }
    let path = EntryPath("mailboxlist.txt")
    switch dump {
    case .failure(let error):
      return [
        Finding(
          .mailboxListMalformed, side: side.side, area: .config, path: path,
          reason: error.description)
      ]
    case .success(let parsed):
      return staleDifferences(side: side, list: list, dump: parsed).map { difference in
        var finding = Finding(
          .mailboxListStale, side: side.side, area: .config, path: path,
          mailbox: difference.name.internalName, reason: difference.description)
        finding.dumpCheck = difference.kind.rawValue
        finding.field = difference.field
        return finding
      }
    }
  }

  static func staleDifferences(
    side: MailboxSide, list: MailboxList,
    dump: (format: MailboxListDump.Format?, entries: [MailboxEntry])
  ) -> [MailboxListDumpCheck.Difference] {
    MailboxListDumpCheck.compare(
      database: list.entries, dump: dump.entries, format: dump.format ?? .cyrus36)
  }

  static func key(area: String, path: EntryPath) -> String {
    area + "\u{0}" + path.description
  }

  static func describe(_ entry: MailboxEntry) -> String {
    "\(entry.type) \(entry.partition ?? "-") \(entry.acl)"
  }
}
