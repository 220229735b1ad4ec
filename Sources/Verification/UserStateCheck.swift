import CyrusFormats
import CyrusStore

/// Seen databases and subscription lists compared record by record, with each record named:
/// a seen record by its mailbox (from each side's mailboxes.db, else from the cyrus.header that
/// records its uniqueid) and its user, a subscription by its mailbox name and its user. Also
/// notes, per side, subscriptions to mailboxes that side's mailboxes.db does not hold.
///
/// The config directory, where the state files are, is walked before the partitions, where
/// the headers are: a seen finding whose uniqueid mailboxes.db cannot name (2.x databases hold
/// no uniqueids) waits until the walk ends, at most ``maxPending`` of them, and only the
/// headers of those uniqueids are remembered. Memory follows that cap, never the number of
/// messages.
public final class UserStateCheck {
  /// Most seen findings held back for a mailbox name. Unit: findings.
  public static let maxPending = 10_000

  let primary: MailboxNameIndex
  let failover: MailboxNameIndex
  /// Seen findings waiting for a name, with the uniqueid that will give it.
  private var pending: [(finding: Finding, uniqueID: String)] = []
  /// Names of the pending uniqueids, from each side's cyrus.header entries.
  private var headerNames: [Side: [String: String]] = [:]
  private var wanted: Set<String> = []

  /// Makes a check with each side's mailbox names (empty: records stay unnamed).
  public init(
    primary: MailboxNameIndex = MailboxNameIndex(), failover: MailboxNameIndex = MailboxNameIndex()
  ) {
    self.primary = primary
    self.failover = failover
  }

  /// Compares the seen or subscription summaries of one file present on both sides.
  /// - Returns: the findings to emit now, and whether the two differ in meaning (findings held
  ///   back for a name count as a difference too).
  func compare(_ p: ManifestEntry, _ f: ManifestEntry) -> (findings: [Finding], differs: Bool) {
    guard let left = p.stateSummary, let right = f.stateSummary,
      left.records != right.records || left.digest != right.digest
    else { return ([], false) }
    // A file that does not read to its meaning is `state.damaged` on its side; its bytes stay
    // the difference (no meaning to compare).
    guard left.problem == nil, right.problem == nil else { return ([], false) }
    let user = userText(of: p.path)
    if let mine = left.items, let theirs = right.items {
      let before = pending.count
      let findings =
        left.kind == .seen
        ? seenDifferences(p, mine, theirs, user: user)
        : subscriptionDifferences(p, left, right, user: user)
      if !findings.isEmpty || pending.count > before { return (findings, true) }
      // Same records in another form (a legacy and a 3.6 subscription layout): no difference.
      return ([], false)
    }
    var finding = Finding(
      left.kind == .seen ? .seenMismatch : .subscriptionsMismatch, side: .both,
      area: AreaName(p.area), path: p.path, mailbox: p.mailbox,
      primary: "\(left.records) records, \(left.digest)",
      failover: "\(right.records) records, \(right.digest)")
    finding.user = user
    if left.itemsOverLimit || right.itemsOverLimit { finding.remark = .comparedByDigestOnly }
    return ([finding], true)
  }

  /// One finding per mailbox whose seen state differs; held back when no mailboxes.db names it.
  private func seenDifferences(
    _ entry: ManifestEntry, _ mine: [StateItem], _ theirs: [StateItem], user: String?
  ) -> [Finding] {
    var findings: [Finding] = []
    for (key, left, right) in Self.differences(mine, theirs) {
      let id = EntryPath.escape(key)
      var finding = Finding(
        .seenMismatch, side: .both, area: AreaName(entry.area), path: entry.path,
        primary: left ?? "no seen state", failover: right ?? "no seen state")
      finding.user = user
      finding.uniqueID = id
      if let name = primary.byUniqueID[id] ?? failover.byUniqueID[id] {
        finding.mailbox = name
        findings.append(finding)
      } else if pending.count < Self.maxPending {
        pending.append((finding, id))
        wanted.insert(id)
      } else {
        finding.remark = .tooManyUnnamed
        findings.append(finding)
      }
    }
    return findings
  }

  /// One finding per name subscribed on one side only, names compared as internal names.
  private func subscriptionDifferences(
    _ entry: ManifestEntry, _ left: StateSummary, _ right: StateSummary, user: String?
  ) -> [Finding] {
    let inbox = inboxName(of: entry.path, first: primary, then: failover)
    func names(_ state: StateSummary) -> [StateItem] {
      let set = Set(
        (state.items ?? []).map {
          subscriptionName(
            $0.key, layout: state.subscriptionLayout, inbox: inbox,
            deletedPrefix: primary.deletedPrefix
          ).name
        })
      return set.map { StateItem(key: Array($0.utf8), value: "subscribed") }.sorted {
        $0.key.lexicographicallyPrecedes($1.key)
      }
    }
    return Self.differences(names(left), names(right)).map { key, mine, theirs in
      var finding = Finding(
        .subscriptionsMismatch, side: .both, area: AreaName(entry.area), path: entry.path,
        mailbox: String(decoding: key, as: UTF8.self), primary: mine ?? "not subscribed",
        failover: theirs ?? "not subscribed")
      finding.user = user
      return finding
    }
  }

  /// Subscriptions of one side's file to mailboxes that side's mailboxes.db does not hold.
  func unknownSubscriptions(of entry: ManifestEntry, side: Side) -> [Finding] {
    guard let state = entry.stateSummary, state.kind == .subscriptions, let items = state.items
    else { return [] }
    let own = side == .failover ? failover : primary
    let other = side == .failover ? primary : failover
    guard let existing = own.existing else { return [] }
    let inbox = inboxName(of: entry.path, first: own, then: other)
    let user = userText(of: entry.path, first: own, then: other)
    var findings: [Finding] = []
    for item in items {
      let (name, known) = subscriptionName(
        item.key, layout: state.subscriptionLayout, inbox: inbox, deletedPrefix: own.deletedPrefix)
      guard known, !existing.contains(name) else { continue }
      var finding = Finding(
        .subscriptionsUnknownMailbox, side: side, area: AreaName(entry.area), path: entry.path,
        mailbox: name)
      finding.user = user
      findings.append(finding)
    }
    return findings
  }

  /// Remembers the name a cyrus.header gives a uniqueid that a held-back finding waits for.
  func learn(_ entry: ManifestEntry, side: Side) {
    guard !wanted.isEmpty, let id = entry.headerUniqueID, wanted.contains(id),
      let name = entry.mailbox, !name.hasPrefix("uniqueid ")
    else { return }
    if headerNames[side]?[id] == nil { headerNames[side, default: [:]][id] = name }
  }

  /// The held-back findings, named where a header gave the name (the primary's first).
  func finish() -> [Finding] {
    defer {
      pending = []
      wanted = []
      headerNames = [:]
    }
    return pending.map { held in
      var finding = held.finding
      if let name = headerNames[.primary]?[held.uniqueID] ?? headerNames[.failover]?[held.uniqueID]
      {
        finding.mailbox = name
      } else {
        finding.remark = .noMailboxHasUniqueID
      }
      return finding
    }
  }

  /// The records present on one side only or with other values: (key, primary, failover).
  static func differences(_ mine: [StateItem], _ theirs: [StateItem]) -> [(
    [UInt8], String?, String?
  )] {
    var result: [([UInt8], String?, String?)] = []
    var i = 0
    var j = 0
    while i < mine.count || j < theirs.count {
      if j == theirs.count
        || (i < mine.count && mine[i].key.lexicographicallyPrecedes(theirs[j].key))
      {
        result.append((mine[i].key, mine[i].value, nil))
        i += 1
      } else if i == mine.count || theirs[j].key.lexicographicallyPrecedes(mine[i].key) {
        result.append((theirs[j].key, nil, theirs[j].value))
        j += 1
      } else {
        if mine[i].value != theirs[j].value {
          result.append((mine[i].key, mine[i].value, theirs[j].value))
        }
        i += 1
        j += 1
      }
    }
    return result
  }

  /// The internal name a subscription key stands for, and whether it is fully known (a 3.6
  /// `INBOX…` key needs its owner's INBOX; without it the name keeps the word `INBOX`).
  func subscriptionName(
    _ key: [UInt8], layout: Subscriptions.Layout?, inbox: MailboxName?, deletedPrefix: String
  ) -> (name: String, known: Bool) {
    guard layout == .version2 else { return (String(decoding: key, as: UTF8.self), true) }
    guard key.first == UInt8(ascii: "N") else { return (EntryPath.escape(key), false) }
    var dbname = Array(key.dropFirst())
    var known = true
    if dbname.starts(with: Array("INBOX".utf8)) {
      if let inbox {
        dbname = inbox.dbname(deletedPrefix: deletedPrefix) + dbname.dropFirst(5)
      } else {
        known = false
      }
    }
    return (MailboxName(dbname: dbname, deletedPrefix: deletedPrefix).internalName, known)
  }

  /// The INBOX of the user a state file belongs to.
  func inboxName(of path: EntryPath, first: MailboxNameIndex, then second: MailboxNameIndex)
    -> MailboxName?
  {
    switch StateOwner.of(path) {
    case .user(let userid): Subscriptions.inboxName(userid: userid)
    case .inbox(let id): (first.byUniqueID[id] ?? second.byUniqueID[id]).map(MailboxName.init)
    case nil: nil
    }
  }

  /// The user a state file belongs to, for messages: `bert`, `bert@example.com`, or the
  /// INBOX uniqueid when no mailboxes.db names it.
  func userText(of path: EntryPath) -> String? {
    userText(of: path, first: primary, then: failover)
  }

  func userText(of path: EntryPath, first: MailboxNameIndex, then second: MailboxNameIndex)
    -> String?
  {
    switch StateOwner.of(path) {
    case .user(let userid): return userid
    case .inbox(let id):
      guard let name = (first.byUniqueID[id] ?? second.byUniqueID[id]).map(MailboxName.init),
        let local = name.userLocalPart, name.components.count == 2
      else { return "with INBOX uniqueid \(id)" }
      let userid = String(local.map { $0 == "^" ? "." : $0 })
      return name.domain.map { "\(userid)@\($0)" } ?? userid
    case nil: return nil
    }
  }
}
