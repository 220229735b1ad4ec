import Remote
import Verification

extension SignOff {
  /// Whether a finding is a real difference or the primary moving on after the copy.
  public enum FindingClass: String, Sendable, Codable, CaseIterable {
    /// The copy differs from what the primary was when the copy was made.
    case divergence
    /// The primary changed after that point.
    case lag

    /// The class of `finding`: lag where the verification classified it so (`--since-manifest`,
    /// `--settle`), divergence otherwise.
    public static func of(_ finding: Finding) -> FindingClass {
      finding.change == .lag ? .lag : .divergence
    }
  }

  /// The verification's findings: every one counted, the first ones of each mailbox listed.
  public struct Findings: Sendable, Codable, Equatable {
    /// Findings found, and listed below (at most the detail limit per mailbox or area).
    public var total: Int
    public var listed: Int
    /// Count per severity and per code, of every finding.
    public var severities: [String: Int]
    public var codes: [String: Int]
    /// Count per severity of the conditions found on each side alike (side `both`), included
    /// in `severities`: they make the verdict `differences` only with `--fail-on-shared`.
    public var sharedConditions: [String: Int]
    /// Count per class (`divergence`, `lag`) of every finding.
    public var classes: [String: Int]
    /// Entries read on each side and present on both.
    public var entries: [String: Int]
    /// The listed findings by mailbox (or area, where no mailbox is known), in the order the
    /// verification found them.
    public var groups: [Group]

    enum CodingKeys: String, CodingKey {
      case total, listed, severities, codes
      case sharedConditions = "shared_conditions"
      case classes, entries, groups
    }

    /// The findings a verification's summary holds.
    public init(_ result: VerifyResult) {
      let summary = result.summary
      total = summary.total
      severities = Dictionary(
        uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, summary.count($0)) })
      codes = Dictionary(
        uniqueKeysWithValues: summary.byCode.map { ($0.key.rawValue, $0.value) })
      sharedConditions = Dictionary(
        uniqueKeysWithValues: Severity.allCases.map {
          ($0.rawValue, summary.sharedBySeverity[$0] ?? 0)
        })
      entries = [
        "primary": result.context.primaryEntries, "failover": result.context.failoverEntries,
        "compared": result.context.comparedEntries,
      ]
      groups = summary.groups.map(Group.init)
      listed = groups.reduce(0) { $0 + $1.findings.count }
      classes = [
        FindingClass.divergence.rawValue: total - summary.lagCount,
        FindingClass.lag.rawValue: summary.lagCount,
      ]
    }

    /// No verification ran (a procedure that ended before it).
    public static let none = Findings()

    private init() {
      total = 0
      listed = 0
      severities = Dictionary(uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, 0) })
      codes = [:]
      sharedConditions = severities
      classes = Dictionary(uniqueKeysWithValues: FindingClass.allCases.map { ($0.rawValue, 0) })
      entries = ["primary": 0, "failover": 0, "compared": 0]
      groups = []
    }

    /// The verdict these counts give under `policy` (as ``FindingSummary/verdict(_:)``).
    public func verdict(_ policy: VerdictPolicy) -> Verdict {
      let incomplete = codes.contains { code, count in
        count > 0 && FindingCode.all.first { $0.rawValue == code }?.meansIncomplete == true
      }
      if incomplete { return .incomplete }
      let failing = Severity.allCases.filter { $0 >= policy.failOn }.reduce(0) {
        $0 + (severities[$1.rawValue] ?? 0)
          - (policy.failOnShared ? 0 : sharedConditions[$1.rawValue] ?? 0)
      }
      return failing > 0 ? .differences : .consistent
    }
  }

  /// The findings of one mailbox or area.
  public struct Group: Sendable, Codable, Equatable {
    /// `mailbox user.anna.Sent`, or `area config`.
    public var title: String
    /// All findings of the group, including those not listed; the worst severity.
    public var total: Int
    public var worst: Severity
    /// The findings listed.
    public var findings: [ListedFinding]

    init(_ group: FindingSummary.Group) {
      title = group.title
      total = group.total
      worst = group.worst
      findings = group.findings.map { ListedFinding($0) }
    }
  }

  /// A finding as the JSON report writes it (docs/json-schema.md), with its class.
  public struct ListedFinding: Sendable, Codable, Equatable {
    public var finding: Finding
    public var findingClass: FindingClass

    /// A finding, classified.
    public init(_ finding: Finding) {
      self.finding = finding
      findingClass = FindingClass.of(finding)
    }

    enum CodingKeys: String, CodingKey {
      case findingClass = "class"
    }

    public init(from decoder: any Decoder) throws {
      finding = try Finding(from: decoder)
      findingClass = try decoder.container(keyedBy: CodingKeys.self).decode(
        FindingClass.self, forKey: .findingClass)
    }

    public func encode(to encoder: any Encoder) throws {
      try finding.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(findingClass, forKey: .findingClass)
    }
  }
}
