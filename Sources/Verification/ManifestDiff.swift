import CyrusStore

/// The streaming merge-join of two manifests in canonical order.
///
/// It holds one entry per side, plus at most one pending subtree finding: a directory missing
/// on one side is reported once, with the number of entries and bytes below it, instead of once
/// per message. Findings go to the sink as soon as they are known.
public final class ManifestDiff {
  private let sink: any FindingSink
  private let states: UserStateCheck
  private let meaning: MailboxFileMeaning
  private let rules: ComparisonRules
  /// Entries read from the primary.
  public private(set) var primaryEntries = 0
  /// Entries read from the failover.
  public private(set) var failoverEntries = 0
  /// Entries present on both sides and compared.
  public private(set) var comparedEntries = 0
  /// Entries, files and bytes taken from each side so far.
  public private(set) var progress = DiffProgress()
  /// Entries between two calls of the progress callback.
  static let progressInterval = 256
  private var pending: PendingSubtree?

  /// After ``run(primary:failover:progress:)``: the mailbox-list stage, each side's mailbox
  /// list against the mailbox directories its walk recorded, and `context` with this diff's
  /// entry counts. Local, remote and saved-manifest verification all end here.
  public func finish(
    primary: MailboxSide, failover: MailboxSide,
    directories: (primary: [MailboxDirectory], failover: [MailboxDirectory]),
    context: VerifyContext
  ) -> VerifyContext {
    var primary = primary
    var failover = failover
    primary.directories = directories.primary
    failover.directories = directories.failover
    MailboxListCheck.run(primary: primary, failover: failover, sink: sink, rules: rules)
    var context = context
    context.primaryEntries = primaryEntries
    context.failoverEntries = failoverEntries
    context.comparedEntries = comparedEntries
    return context
  }

  /// A one-sided directory whose content is being folded into one finding.
  private struct PendingSubtree {
    var finding: Finding
    /// Whose entries are absorbed.
    var side: Side
    var area: String
    var prefix: EntryPath
    var entries = 0
    var bytes: UInt64 = 0
  }

  /// Makes a diff that sends findings to `sink`; `states` names the mailboxes and users of
  /// seen and subscription records (without it they are compared unnamed); `meaning` says
  /// which byte differences of mailboxes.db and mailboxlist.txt the mailbox lists explain.
  public init(
    sink: any FindingSink, states: UserStateCheck = UserStateCheck(),
    meaning: MailboxFileMeaning = MailboxFileMeaning(), rules: ComparisonRules = .sameVersion
  ) {
    self.sink = sink
    self.states = states
    self.meaning = meaning
    self.rules = rules
  }

  /// Runs the merge-join to the end of both sources.
  /// - Parameter report: called every ``progressInterval`` entries with the counts so far, and
  ///   once at the end.
  public func run(
    primary: inout some ManifestSource, failover: inout some ManifestSource,
    progress report: ((DiffProgress) -> Void)? = nil
  ) throws {
    var nextReport = Self.progressInterval
    var left = OrderChecker(side: .primary, sink: sink)
    var right = OrderChecker(side: .failover, sink: sink)
    var p = try left.next(from: &primary)
    var f = try right.next(from: &failover)
    // Entries are moved out of `p` and `f` (`take()`), never bound by `if let`: a binding
    // copies the whole entry, retaining and releasing each of its references.
    while p != nil || f != nil {
      let order = Self.order(p, f)
      if order < 0, let entry = p.take() {
        primaryEntries += 1
        progress.primary.add(entry)
        onlyOn(.primary, entry)
        p = try left.next(from: &primary)
      } else if order > 0, let entry = f.take() {
        failoverEntries += 1
        progress.failover.add(entry)
        onlyOn(.failover, entry)
        f = try right.next(from: &failover)
      } else if let pe = p.take(), let fe = f.take() {
        primaryEntries += 1
        failoverEntries += 1
        progress.primary.add(pe)
        progress.failover.add(fe)
        both(pe, fe)
        p = try left.next(from: &primary)
        f = try right.next(from: &failover)
      }
      if let report, progress.primary.entries + progress.failover.entries >= nextReport {
        nextReport = progress.primary.entries + progress.failover.entries + Self.progressInterval
        report(progress)
      }
    }
    report?(progress)
    flushPending()
    for finding in states.finish() { sink.emit(finding) }
  }

  /// Which of the two current entries comes first: -1 the primary's (or the failover has none
  /// left), 1 the failover's, 0 both at the same place.
  private static func order(_ p: ManifestEntry?, _ f: ManifestEntry?) -> Int {
    guard let pArea = p?.area, let pPath = p?.path else { return 1 }
    guard let fArea = f?.area, let fPath = f?.path else { return -1 }
    return ManifestEntry.canonicalCompare(area: pArea, path: pPath, area: fArea, path: fPath)
  }

  private func absorb(_ entry: ManifestEntry, side: Side) -> Bool {
    guard var subtree = pending else { return false }
    if subtree.side == side, subtree.area == entry.area, entry.path.isInside(subtree.prefix) {
      subtree.entries += 1
      // Saturating: sizes come from disk, a peer or a saved manifest, and may be absurd.
      if entry.kind == .file { subtree.bytes = subtree.bytes.addingSaturated(entry.size) }
      pending = subtree
      return true
    }
    flushPending()
    return false
  }

  private func flushPending() {
    guard let subtree = pending else { return }
    pending = nil
    var finding = subtree.finding
    if subtree.entries > 0 {
      finding.entriesBelow = subtree.entries
      finding.bytesBelow = subtree.bytes
    }
    sink.emit(finding)
  }

  private func onlyOn(_ side: Side, _ entry: ManifestEntry) {
    states.learn(entry, side: side)
    if absorb(entry, side: side) {
      // A side's own damage inside a one-sided directory is still that side's finding.
      for finding in EntryComparison.notes(of: entry, side: side) { sink.emit(finding) }
      return
    }
    for finding in EntryComparison.observations(of: entry, side: side, states: states) {
      sink.emit(finding)
    }
    if entry.problem == .vanished { return }
    let value = EntryComparison.describe(entry)
    if entry.kind == .directory, rules.rebuilt(area: entry.area, path: entry.path) {
      sink.emit(
        Finding(
          .fileRebuilt, side: .both, area: AreaName(entry.area), path: entry.path,
          primary: side == .primary ? value : "none", failover: side == .failover ? value : "none"))
    } else if entry.kind == .directory {
      let code: FindingCode = side == .primary ? .directoryMissing : .directoryExtra
      let finding = Finding(
        code, side: .failover, area: AreaName(entry.area), path: entry.path,
        mailbox: entry.mailbox, primary: side == .primary ? value : nil,
        failover: side == .failover ? value : nil)
      pending = PendingSubtree(finding: finding, side: side, area: entry.area, prefix: entry.path)
    } else if entry.kind == .file, rules.rebuilt(area: entry.area, path: entry.path) {
      // Rebuilt or dropped by the other version's Cyrus (an empty mailbox's cache).
      sink.emit(
        Finding(
          .fileRebuilt, side: .both, area: AreaName(entry.area), path: entry.path,
          mailbox: entry.mailbox, primary: side == .primary ? value : "none",
          failover: side == .failover ? value : "none"))
    } else {
      let code: FindingCode = side == .primary ? .fileMissing : .fileExtra
      sink.emit(
        Finding(
          code, side: .failover, area: AreaName(entry.area), path: entry.path,
          mailbox: entry.mailbox,
          primary: side == .primary ? value : nil, failover: side == .failover ? value : nil))
    }
  }

  private func both(_ primary: ManifestEntry, _ failover: ManifestEntry) {
    flushPending()
    states.learn(primary, side: .primary)
    states.learn(failover, side: .failover)
    comparedEntries += 1
    var findings = EntryComparison.compare(primary, failover, states: states, rules: rules)
    meaning.adjust(&findings, primary, failover)
    // When only one side is a listable directory, its content arrives as one-sided entries:
    // fold them into the finding that explains why (a type mismatch, an unlistable directory).
    let primaryOpen = primary.kind == .directory && primary.problem == nil
    let failoverOpen = failover.kind == .directory && failover.problem == nil
    if primaryOpen != failoverOpen,
      let index = findings.firstIndex(where: { $0.code == .typeMismatch || $0.code == .unlistable })
    {
      let held = findings.remove(at: index)
      pending = PendingSubtree(
        finding: held, side: primaryOpen ? .primary : .failover, area: primary.area,
        prefix: primary.path)
    }
    for finding in findings { sink.emit(finding) }
  }
}

/// Checks that a source yields entries in strictly increasing canonical order; an entry out of
/// order becomes a finding and is skipped, never silently re-sorted.
struct OrderChecker {
  let side: Side
  let sink: any FindingSink
  /// The area and path of the last entry passed on: only what the order is decided by, so
  /// that no entry is copied whole.
  private var last: (area: String, path: EntryPath)?

  init(side: Side, sink: any FindingSink) {
    self.side = side
    self.sink = sink
  }

  mutating func next(from source: inout some ManifestSource) throws -> ManifestEntry? {
    while let entry = try source.next() {
      if let last,
        ManifestEntry.canonicalCompare(
          area: last.area, path: last.path, area: entry.area, path: entry.path) >= 0
      {
        sink.emit(
          Finding(
            .outOfOrder, side: side, area: AreaName(entry.area), path: entry.path,
            reason: "after \(ManifestEntry.location(area: last.area, path: last.path))"))
        continue
      }
      last = (entry.area, entry.path)
      return entry
    }
    return nil
  }
}
