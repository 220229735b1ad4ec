/// Why a procedure refused to start or could not go on. Every refusal before anything changed
/// says what was found; every failure after names the step.
public struct ProcedureError: Error, Sendable, CustomStringConvertible {
  /// What kind of problem.
  public enum Kind: String, Sendable, Codable {
    /// Something the plan needs is not there (rsync, ctl_mboxlist, a service command).
    case missingTool
    /// A check before anything is changed says no (a running failover Cyrus, overlapping
    /// areas, the direction, free space, the lock).
    case refused
    /// A step failed while the plan was carried out.
    case stepFailed
    /// The primary could not be started again: the most serious outcome.
    case primaryNotStarted
    /// A host could not be asked (ssh, the probe).
    case probe
  }

  /// What kind of problem.
  public var kind: Kind
  /// What happened, with what to do.
  public var message: String
  /// The step, when one failed.
  public var step: String?

  /// Makes an error.
  public init(_ kind: Kind, _ message: String, step: String? = nil) {
    self.kind = kind
    self.message = message
    self.step = step
  }

  public var description: String {
    step.map { "step \($0): \(message)" } ?? message
  }
}
