import CyrusStore

/// The comparison rules for one path present on both sides, and the one-sided observations
/// (problems, symlinks escaping their area, special files) made on a single entry.
enum EntryComparison {
  /// Findings for a path that exists on both sides; `states` compares and names seen and
  /// subscription records.
  static func compare(
    _ primary: ManifestEntry, _ failover: ManifestEntry,
    states: UserStateCheck = UserStateCheck(), rules: ComparisonRules = .sameVersion
  ) -> [Finding] {
    if samePlain(primary, failover) { return [] }
    // The same condition on each side (the same damage, the same stale subscription) is one
    // finding with side `both`.
    var findings = Finding.mergingSides(
      primary: conditions(of: primary, side: .primary, states: states),
      failover: conditions(of: failover, side: .failover, states: states))
    guard primary.problem == nil, failover.problem == nil else { return findings }
    let area = AreaName(primary.area)
    func finding(_ code: FindingCode, _ left: String, _ right: String, severity: Severity? = nil)
      -> Finding
    {
      Finding(
        code, severity: severity, side: .both, area: area, path: primary.path,
        mailbox: primary.mailbox ?? failover.mailbox, primary: left, failover: right)
    }
    /// A finding by meaning explains the file's bytes: no size or content finding besides it.
    func explainedByMeaning() {
      findings.removeAll { $0.code == .sizeMismatch || $0.code == .contentMismatch }
    }
    guard primary.kind == failover.kind else {
      return findings + [finding(.typeMismatch, primary.kind.rawValue, failover.kind.rawValue)]
    }
    var contentDiffers = false
    switch primary.kind {
    case .file:
      if primary.size != failover.size {
        contentDiffers = true
        findings.append(finding(.sizeMismatch, "\(primary.size)", "\(failover.size)"))
      } else if let left = primary.digest, let right = failover.digest,
        !ManifestEntry.sameDigest(left, right)
      {
        contentDiffers = true
        findings.append(finding(.contentMismatch, "sha256:" + hex(left), "sha256:" + hex(right)))
      }
    case .symlink:
      if primary.linkTarget != failover.linkTarget {
        findings.append(
          finding(
            .symlinkTargetMismatch, EntryPath.escape(primary.linkTarget ?? []),
            EntryPath.escape(failover.linkTarget ?? [])))
      }
    default:
      break
    }
    if contentDiffers, rules.rebuilt(area: primary.area, path: primary.path) {
      explainedByMeaning()
      findings.append(
        finding(.fileRebuilt, "\(primary.size) bytes", "\(failover.size) bytes"))
    }
    if let left = primary.indexSummary, let right = failover.indexSummary {
      let differences = left.differences(from: right)
      if !differences.isEmpty {
        explainedByMeaning()
        findings.append(
          finding(
            .indexMismatch, differences.map { "\($0.field) \($0.mine)" }.joined(separator: ", "),
            differences.map { "\($0.field) \($0.theirs)" }.joined(separator: ", ")))
      } else if contentDiffers, left.clean, right.clean {
        // Same messages in a rewritten file (another minor version, a repack): not a difference.
        explainedByMeaning()
        findings.append(
          finding(
            .indexRewritten, "minor \(left.minorVersion), \(primary.size) bytes",
            "minor \(right.minorVersion), \(failover.size) bytes"))
      }
    }
    if let left = primary.stateSummary, let right = failover.stateSummary, left.kind == .quota,
      right.kind == .quota,
      left.problem == nil, right.problem == nil
    {
      if left.digest != right.digest {
        explainedByMeaning()
        findings.append(finding(.quotaMismatch, left.digest, right.digest))
      } else if !rules.sameUsage(left.usageDigest, right.usageDigest) {
        explainedByMeaning()
        findings.append(
          finding(
            .quotaUsageMismatch, "usage \(left.usageDigest ?? "-")",
            "usage \(right.usageDigest ?? "-")"))
      } else if contentDiffers {
        explainedByMeaning()
        findings.append(finding(.stateRewritten, "\(primary.size) bytes", "\(failover.size) bytes"))
      }
      if let root = quotaRoot(of: primary.path) {
        for index in findings.indices where findings[index].code.rawValue.hasPrefix("quota.") {
          findings[index].quotaRoot = root
        }
      }
    } else if let left = primary.stateSummary, let right = failover.stateSummary,
      left.kind == right.kind,
      left.kind != .quota
    {
      let (differences, differs) = states.compare(primary, failover)
      if differs {
        explainedByMeaning()
        findings += differences
      } else if contentDiffers, left.problem == nil, right.problem == nil {
        explainedByMeaning()
        findings.append(finding(.stateRewritten, "\(primary.size) bytes", "\(failover.size) bytes"))
      }
    }
    if primary.kind != .symlink, primary.mode != failover.mode {
      findings.append(finding(.modeMismatch, octal(primary.mode), octal(failover.mode)))
    }
    if !sameAccount(primary.owner, primary.uid, failover.owner, failover.uid) {
      findings.append(
        finding(
          .ownerMismatch, account(primary.owner, primary.uid), account(failover.owner, failover.uid)
        ))
    }
    if !sameAccount(primary.group, primary.gid, failover.group, failover.gid) {
      findings.append(
        finding(
          .groupMismatch, account(primary.group, primary.gid), account(failover.group, failover.gid)
        ))
    }
    if primary.kind == .file, !contentDiffers, primary.mtime.seconds != failover.mtime.seconds {
      findings.append(
        finding(
          .mtimeMismatch, "\(primary.mtime.seconds)", "\(failover.mtime.seconds)",
          severity: mtimeSeverity(primary)))
    }
    if primary.kind == .file {
      let left = linkedTo(primary)
      let right = linkedTo(failover)
      if left != right {
        findings.append(
          finding(
            .hardLinkMismatch, left.map { "linked to \($0)" } ?? "not linked",
            right.map { "linked to \($0)" } ?? "not linked"))
      }
    }
    return findings
  }

  /// Whether two entries are plain files or directories (``ManifestEntry/isPlain``: no
  /// condition of their own) that agree on everything compared below, so that there is no
  /// finding: most entries of a consistent pair, decided without building any.
  static func samePlain(_ primary: ManifestEntry, _ failover: ManifestEntry) -> Bool {
    guard primary.isPlain, failover.isPlain, primary.kind == failover.kind else { return false }
    switch primary.kind {
    case .file:
      guard primary.size == failover.size,
        ManifestEntry.sameDigest(primary.digest, failover.digest),
        primary.mtime.seconds == failover.mtime.seconds
      else { return false }
    case .directory:
      break
    default:
      return false
    }
    return primary.mode == failover.mode
      && sameAccount(primary.owner, primary.uid, failover.owner, failover.uid)
      && sameAccount(primary.group, primary.gid, failover.group, failover.gid)
  }

  /// A side's own conditions of one entry: what went wrong reading it, its mailbox notes, a
  /// state file that does not read, subscriptions to mailboxes its side does not have, a
  /// symlink leaving its area, a special file.
  static func conditions(of entry: ManifestEntry, side: Side, states: UserStateCheck)
    -> [Finding]
  {
    var findings =
      problems(of: entry, side: side) + notes(of: entry, side: side)
      + stateProblems(of: entry, side: side) + states.unknownSubscriptions(of: entry, side: side)
    let value = { (text: String) in (side == .primary ? text : nil, side == .failover ? text : nil)
    }
    if escapesArea(entry) {
      let (left, right) = value(EntryPath.escape(entry.linkTarget ?? []))
      findings.append(
        Finding(
          .symlinkOutside, side: side, area: AreaName(entry.area), path: entry.path,
          mailbox: entry.mailbox, primary: left, failover: right))
    }
    if isSpecial(entry) {
      let (left, right) = value(entry.kind.rawValue)
      findings.append(
        Finding(
          .specialFile, side: side, area: AreaName(entry.area), path: entry.path, primary: left,
          failover: right))
    }
    return findings
  }

  /// The quota root a legacy quota file stands for: its file name (`quota/H/user.bert`).
  static func quotaRoot(of path: EntryPath) -> String? {
    guard path.components.first.map({ $0.elementsEqual(Array("quota".utf8)) }) == true else {
      return nil
    }
    return String(decoding: path.lastComponent, as: UTF8.self)
  }

  /// Findings about one entry on its own (used for one-sided entries as well).
  static func observations(
    of entry: ManifestEntry, side: Side, states: UserStateCheck = UserStateCheck()
  ) -> [Finding] {
    conditions(of: entry, side: side, states: states)
  }

  /// The findings for the mailbox notes a side's walker attached to a `cyrus.header` entry (or,
  /// in a partition whose cyrus.* files are in a metapartition, to a message file's entry).
  static func notes(of entry: ManifestEntry, side: Side) -> [Finding] {
    let directory = entry.path.parent
    return entry.notes.map { note in
      let code: FindingCode
      switch note.kind {
      case .fileMissing: code = .messageFileMissing
      case .sizeMismatch: code = .messageSizeMismatch
      case .fileOrphan: code = .messageFileOrphan
      case .indexDamaged: code = .indexDamaged
      case .indexUnreadable: code = .indexUnreadable
      case .guidMismatch: code = .messageGUIDMismatch
      }
      let path =
        note.uid.map { directory.appending(Array("\($0).".utf8)) }
        ?? directory.appending(Array("cyrus.index".utf8))
      // A message file of a metapartition's mailbox is in the partition of the same name.
      var area = AreaName(entry.area)
      if note.uid != nil, area.role == .metapartition, let partition = area.partition {
        area = AreaName(.partition, partition: partition)
      }
      var finding = Finding(
        code, side: side, area: area, path: path, mailbox: entry.mailbox, reason: note.detail)
      finding.uid = note.uid
      return finding
    }
  }

  /// A state file that could not be read to its meaning, on its side.
  static func stateProblems(of entry: ManifestEntry, side: Side) -> [Finding] {
    guard let problem = entry.stateSummary?.problem else { return [] }
    return [
      Finding(
        .stateDamaged, side: side, area: AreaName(entry.area), path: entry.path, reason: problem)
    ]
  }

  static func problems(of entry: ManifestEntry, side: Side) -> [Finding] {
    guard let problem = entry.problem else { return [] }
    let code: FindingCode
    var reason: String?
    switch problem {
    case .vanished: code = .vanished
    case .changedWhileReading: code = .changedWhileReading
    case .unreadable(let text):
      code = .unreadable
      reason = text
    case .unlistable(let text):
      code = .unlistable
      reason = text
    }
    return [
      Finding(
        code, side: side, area: AreaName(entry.area), path: entry.path, mailbox: entry.mailbox,
        reason: reason)
    ]
  }

  /// Message files keep the message's internal date as mtime (`reconstruct` falls back on it),
  /// so a difference there is a warning; elsewhere it only says the file was rewritten.
  static func mtimeSeverity(_ entry: ManifestEntry) -> Severity {
    AreaName(entry.area).holdsMessages ? .warning : .info
  }

  /// The earlier location this file is hard-linked to, or `nil` if it is the first (or only).
  static func linkedTo(_ entry: ManifestEntry) -> String? {
    guard let leader = entry.hardLinkLeader, leader != entry.location else { return nil }
    return leader
  }

  /// Whether a symlink's target leaves the area: absolute, or more `..` than the link's depth.
  static func escapesArea(_ entry: ManifestEntry) -> Bool {
    guard entry.kind == .symlink, let target = entry.linkTarget else { return false }
    if target.first == 0x2F { return true }
    var depth = entry.path.components.count - 1
    for component in target.split(separator: 0x2F) {
      if component.elementsEqual([0x2E, 0x2E]) {
        depth -= 1
        if depth < 0 { return true }
      } else if !component.elementsEqual([0x2E]) {
        depth += 1
      }
    }
    return false
  }

  static func isSpecial(_ entry: ManifestEntry) -> Bool {
    switch entry.kind {
    case .fifo, .socket, .blockDevice, .characterDevice: true
    default: false
    }
  }

  static func sameAccount(
    _ leftName: String?, _ leftID: UInt32, _ rightName: String?, _ rightID: UInt32
  ) -> Bool {
    if let leftName, let rightName { return leftName == rightName }
    return leftID == rightID
  }

  static func account(_ name: String?, _ id: UInt32) -> String {
    name.map { "\($0) (\(id))" } ?? "\(id)"
  }

  static func octal(_ mode: UInt32) -> String {
    let digits = String(mode, radix: 8)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
  }

  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef")
    return String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0xF)]] })
  }

  /// A short description of a one-sided entry: `file, 1234 bytes`.
  static func describe(_ entry: ManifestEntry) -> String {
    switch entry.kind {
    case .file: "file, \(entry.size) bytes"
    case .symlink: "symlink -> \(EntryPath.escape(entry.linkTarget ?? []))"
    default: entry.kind.rawValue
    }
  }
}
