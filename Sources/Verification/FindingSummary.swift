/// Counts every finding and keeps a capped number of them per group (mailbox, or area when no
/// mailbox is known), so memory stays bounded however many findings stream past.
public final class FindingSummary: FindingSink {
  /// Findings kept per group.
  public let detailLimit: Int
  /// Count per severity.
  public private(set) var bySeverity: [Severity: Int] = [:]
  /// Count per code.
  public private(set) var byCode: [FindingCode: Int] = [:]

  /// The codes found and their counts, worst severity first, then most frequent, then by name:
  /// the reports' order, the same in every run (a dictionary's order is not).
  public var codesWorstFirst: [(code: FindingCode, count: Int)] {
    byCode.map { (code: $0.key, count: $0.value) }.sorted {
      ($0.code.defaultSeverity, $0.count, $1.code.rawValue)
        > ($1.code.defaultSeverity, $1.count, $0.code.rawValue)
    }
  }
  /// Count per severity of conditions found on each side alike (``Finding/isSharedCondition``),
  /// included in ``bySeverity``.
  public private(set) var sharedBySeverity: [Severity: Int] = [:]
  /// Findings classified as lag (the primary changed after the copy was made).
  public private(set) var lagCount = 0
  /// Groups in the order first seen.
  public private(set) var groups: [Group] = []
  private var groupIndex: [String: Int] = [:]

  /// The findings of one mailbox or area.
  public struct Group: Sendable {
    /// `user.anna.Sent`, or `area config` when no mailbox is known.
    public var title: String
    /// Findings kept (at most `detailLimit`).
    public var findings: [Finding] = []
    /// All findings of the group, including those not kept.
    public var total = 0
    /// The worst severity in the group.
    public var worst: Severity = .info
  }

  /// Makes a summary keeping `detailLimit` findings per group.
  public init(detailLimit: Int = 20) {
    self.detailLimit = detailLimit
  }

  public func emit(_ finding: Finding) {
    bySeverity[finding.severity, default: 0] += 1
    byCode[finding.code, default: 0] += 1
    if finding.isSharedCondition { sharedBySeverity[finding.severity, default: 0] += 1 }
    if finding.change == .lag { lagCount += 1 }
    let title =
      finding.mailbox.map { "mailbox \(Terminal.safe($0))" }
      ?? "area \(finding.area?.text ?? "-")"
    let index: Int
    if let known = groupIndex[title] {
      index = known
    } else {
      index = groups.count
      groupIndex[title] = index
      groups.append(Group(title: title))
    }
    groups[index].total += 1
    groups[index].worst = max(groups[index].worst, finding.severity)
    if groups[index].findings.count < detailLimit { groups[index].findings.append(finding) }
  }

  /// Total findings.
  public var total: Int { bySeverity.values.reduce(0, +) }

  /// Count of one severity.
  public func count(_ severity: Severity) -> Int { bySeverity[severity] ?? 0 }

  /// Whether any finding means part of a side could not be checked at all.
  public var incomplete: Bool {
    byCode.contains { $0.key.meansIncomplete && $0.value > 0 }
  }

  /// The verdict for the exit status: consistent, differences, or could not verify.
  public func verdict(_ policy: VerdictPolicy) -> Verdict {
    if incomplete { return .incomplete }
    let failing = Severity.allCases.filter { $0 >= policy.failOn }.reduce(0) {
      $0 + count($1) - (policy.failOnShared ? 0 : sharedBySeverity[$1] ?? 0)
    }
    return failing > 0 ? .differences : .consistent
  }
}

/// What makes a verification's verdict `differences`.
public struct VerdictPolicy: Sendable, Equatable {
  /// The lowest severity that counts (`--fail-on`).
  public var failOn: Severity
  /// Whether conditions found on each side alike count too (`--fail-on-shared`): an old
  /// orphan directory on the primary, faithfully copied, is by default no difference.
  public var failOnShared: Bool

  /// Makes a policy.
  public init(failOn: Severity = .warning, failOnShared: Bool = false) {
    self.failOn = failOn
    self.failOnShared = failOnShared
  }
}

/// The outcome of a verification, which the executable maps to its exit status.
public enum Verdict: String, Sendable, Codable {
  /// Nothing at or above the threshold (exit 0).
  case consistent
  /// Differences found (exit 1).
  case differences
  /// Part of a side could not be read (exit 2).
  case incomplete

}

/// Sends each finding to several sinks.
public final class FindingFanOut: FindingSink {
  private let sinks: [any FindingSink]

  /// Fans out to `sinks`, in order.
  public init(_ sinks: [any FindingSink]) { self.sinks = sinks }

  public func emit(_ finding: Finding) {
    for sink in sinks { sink.emit(finding) }
  }
}
