import CyrusStore

/// The comparison rules for one path present on both sides, and the one-sided observations
/// (problems, symlinks escaping their area, special files) made on a single entry.
enum EntryComparison {
  /// Findings for a path that exists on both sides; `states` compares and names seen and
  /// subscription records.
  static func compare(
    _ primary: ManifestEntry, _ failover: ManifestEntry,
    states: UserStateCheck = UserStateCheck()
  ) -> [Finding] {
    var findings = problems(of: primary, side: .primary) + problems(of: failover, side: .failover)
    findings += notes(of: primary, side: .primary) + notes(of: failover, side: .failover)
    findings +=
      stateProblems(of: primary, side: .primary) + stateProblems(of: failover, side: .failover)
    findings +=
      states.unknownSubscriptions(of: primary, side: .primary)
      + states.unknownSubscriptions(of: failover, side: .failover)
    guard primary.problem == nil, failover.problem == nil else { return findings }
    func finding(_ code: FindingCode, _ left: String, _ right: String, severity: Severity? = nil)
      -> Finding
    {
      Finding(
        code, severity: severity, side: .both, area: primary.area, path: primary.path.description,
        mailbox: primary.mailbox ?? failover.mailbox, primary: left, failover: right)
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
      } else if let left = primary.digest, let right = failover.digest, left != right {
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
    if let left = primary.indexSummary, let right = failover.indexSummary {
      let differences = left.differences(from: right)
      if !differences.isEmpty {
        findings.append(
          finding(
            .indexMismatch, differences.map { "\($0.field) \($0.mine)" }.joined(separator: ", "),
            differences.map { "\($0.field) \($0.theirs)" }.joined(separator: ", ")))
      } else if contentDiffers, left.clean, right.clean {
        // Same messages in a rewritten file (another minor version, a repack): not a difference.
        findings.removeAll { $0.code == .sizeMismatch || $0.code == .contentMismatch }
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
        findings.append(finding(.quotaMismatch, left.digest, right.digest))
      } else if left.usageDigest != right.usageDigest {
        findings.append(
          finding(
            .quotaUsageMismatch, "usage \(left.usageDigest ?? "-")",
            "usage \(right.usageDigest ?? "-")"))
      } else if contentDiffers {
        findings.removeAll { $0.code == .sizeMismatch || $0.code == .contentMismatch }
        findings.append(finding(.stateRewritten, "\(primary.size) bytes", "\(failover.size) bytes"))
      }
    } else if let left = primary.stateSummary, let right = failover.stateSummary,
      left.kind == right.kind,
      left.kind != .quota
    {
      let (differences, differs) = states.compare(primary, failover)
      if differs {
        findings += differences
      } else if contentDiffers, left.problem == nil, right.problem == nil {
        findings.removeAll { $0.code == .sizeMismatch || $0.code == .contentMismatch }
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
    let leftEscapes = escapesArea(primary)
    let rightEscapes = escapesArea(failover)
    if leftEscapes || rightEscapes {
      findings.append(
        Finding(
          .symlinkOutside,
          side: leftEscapes && rightEscapes ? .both : (leftEscapes ? .primary : .failover),
          area: primary.area, path: primary.path.description, mailbox: primary.mailbox,
          primary: leftEscapes ? EntryPath.escape(primary.linkTarget ?? []) : nil,
          failover: rightEscapes ? EntryPath.escape(failover.linkTarget ?? []) : nil))
    }
    if isSpecial(primary) {
      findings.append(
        Finding(
          .specialFile, side: .both, area: primary.area, path: primary.path.description,
          primary: primary.kind.rawValue, failover: failover.kind.rawValue))
    }
    return findings
  }

  /// Findings about one entry on its own (used for one-sided entries as well).
  static func observations(
    of entry: ManifestEntry, side: Side, states: UserStateCheck = UserStateCheck()
  ) -> [Finding] {
    var findings =
      problems(of: entry, side: side) + notes(of: entry, side: side)
      + stateProblems(of: entry, side: side) + states.unknownSubscriptions(of: entry, side: side)
    if escapesArea(entry) {
      findings.append(
        Finding(
          .symlinkOutside, side: side, area: entry.area, path: entry.path.description,
          mailbox: entry.mailbox,
          primary: side == .primary ? EntryPath.escape(entry.linkTarget ?? []) : nil,
          failover: side == .failover ? EntryPath.escape(entry.linkTarget ?? []) : nil))
    }
    if isSpecial(entry) {
      findings.append(
        Finding(
          .specialFile, side: side, area: entry.area, path: entry.path.description,
          detail: entry.kind.rawValue))
    }
    return findings
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
      let area =
        note.uid != nil && entry.area.hasPrefix("metapartition-")
        ? String(entry.area.dropFirst("meta".count)) : entry.area
      return Finding(
        code, side: side, area: area, path: path.description, mailbox: entry.mailbox,
        detail: note.detail)
    }
  }

  /// A state file that could not be read to its meaning, on its side.
  static func stateProblems(of entry: ManifestEntry, side: Side) -> [Finding] {
    guard let problem = entry.stateSummary?.problem else { return [] }
    return [
      Finding(
        .stateDamaged, side: side, area: entry.area, path: entry.path.description, detail: problem)
    ]
  }

  static func problems(of entry: ManifestEntry, side: Side) -> [Finding] {
    guard let problem = entry.problem else { return [] }
    let code: FindingCode
    var detail: String?
    switch problem {
    case .vanished: code = .vanished
    case .changedWhileReading: code = .changedWhileReading
    case .unreadable(let text):
      code = .unreadable
      detail = text
    case .unlistable(let text):
      code = .unlistable
      detail = text
    }
    return [
      Finding(
        code, side: side, area: entry.area, path: entry.path.description, mailbox: entry.mailbox,
        detail: detail)
    ]
  }

  /// Message files keep the message's internal date as mtime (`reconstruct` falls back on it),
  /// so a difference there is a warning; elsewhere it only says the file was rewritten.
  static func mtimeSeverity(_ entry: ManifestEntry) -> Severity {
    entry.area.hasPrefix("partition-") || entry.area.hasPrefix("archivepartition-")
      ? .warning : .info
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
    [.fifo, .socket, .blockDevice, .characterDevice].contains(entry.kind)
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
