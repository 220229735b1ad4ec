/// A procedure as a value: the facts it was made from, the checks made before anything changes,
/// and every step in order with its host. Printed (text or JSON) before it is carried out, and
/// carried out only with `--execute`.
public struct Plan: Sendable, Codable, Equatable {
  /// `sync`, `backup` or `restore`.
  public var procedure: String
  /// The side copied from, and the side copied to.
  public var source: Side
  public var destination: Side
  /// Whether the destination's Cyrus reads the source's data only after an import.
  public var versionMismatch: Bool
  /// What was checked before the plan was made; any failed one refuses the plan.
  public var checks: [Check]
  /// The steps, in order.
  public var steps: [Step]
  /// The ids of the steps that stop and start the source: between them is the stopped window,
  /// and a failure there runs the start steps.
  public var windowStart: String?
  public var windowEnd: String?

  /// One side as the plan sees it.
  public struct Side: Sendable, Codable, Equatable {
    /// `primary`, `failover`, `backup` or `target`.
    public var role: String
    /// Where it is.
    public var place: HostPlace
    /// Its imapd.conf on that host, and the root its paths are read under.
    public var configFile: String
    public var root: String?
    /// Area name → path on that host.
    public var areas: [String: String]
    /// The Cyrus installed there (its package version), and the family of the data.
    public var cyrusVersion: String?
    public var cyrusFamily: VersionFamily?
    public var dataFamily: VersionFamily?
    /// The service commands on that host (empty when it has no Cyrus service).
    public var stop: [String]?
    public var start: [String]?
    public var status: [String]?
  }

  /// One check made before the plan.
  public struct Check: Sendable, Codable, Equatable {
    /// Stable name: `failover-not-running`, `direction`, `free-space`, …
    public var name: String
    /// Whether it passed.
    public var passed: Bool
    /// What was found.
    public var detail: String

    /// Makes a check.
    public init(_ name: String, passed: Bool, _ detail: String) {
      self.name = name
      self.passed = passed
      self.detail = detail
    }
  }

  /// The checks that failed.
  public var refusals: [Check] { checks.filter { !$0.passed } }

  /// The steps that start the source again (the window's end and the wait after it).
  public var recoverySteps: [Step] {
    guard let windowEnd, let index = steps.firstIndex(where: { $0.id == windowEnd }) else {
      return []
    }
    return Array(steps[index...].prefix { $0.id == windowEnd || $0.action == .waitRunning })
  }
}
