import Verification

/// What a procedure did: each step with its command, times and outcome, the bytes each pass
/// moved, the stopped window (stop issued → start confirmed) and the verification's verdict.
public struct ProcedureReport: Sendable, Codable {
  /// How the procedure ended.
  public enum Outcome: String, Sendable, Codable {
    /// Every step succeeded; `verdict` says what the verification found.
    case completed
    /// A check refused the plan before anything changed.
    case refused
    /// A step failed (the source was started again if it had been stopped).
    case failed
    /// A step failed and the source could not be started again.
    case sourceNotStarted = "source-not-started"
  }

  /// One step as carried out.
  public struct StepRecord: Sendable, Codable {
    public var id: String
    public var title: String
    public var host: String
    public var argv: [String]?
    /// Seconds since the epoch.
    public var started: Double
    public var ended: Double
    /// `ok`, `ok-with-note`, `failed`, `skipped`.
    public var outcome: String
    /// The program's exit status or killing signal, in words.
    public var status: String?
    /// rsync's figures, for a pass.
    public var rsync: Rsync.Statistics?
    /// The paths rsync transferred, when it was asked to itemize them (a repair).
    public var transferred: [String]?
    /// What else is worth knowing (a tolerated exit status, what failed).
    public var note: String?

    /// Seconds it took.
    public var seconds: Double { ended - started }
  }

  /// The stopped window.
  public struct Window: Sendable, Codable {
    /// When the stop command was started, and when the start was confirmed (epoch seconds).
    public var stopIssued: Double
    public var startConfirmed: Double?
    /// Its length in seconds, when it closed.
    public var seconds: Double? { startConfirmed.map { $0 - stopIssued } }
  }

  public var procedure: String
  public var outcome: Outcome
  public var steps: [StepRecord]
  public var window: Window?
  /// rsync's figures summed per pass (`pass1`, `pass2`).
  public var passes: [String: Rsync.Statistics]
  /// The step that failed, and why.
  public var failedStep: String?
  public var failure: String?
  /// The verification's verdict and counts per severity, when it ran.
  public var verdict: Verdict?
  public var findings: [String: Int]?
  /// The command that starts the source, printed when it could not be started.
  public var startCommand: [String]?

  /// An empty report of `procedure`.
  public init(procedure: String) {
    self.procedure = procedure
    outcome = .completed
    steps = []
    passes = [:]
  }

  /// The exit status: 0 consistent, 1 differences after the copy, 2 a refusal or failure.
  public var exitStatus: ExitStatus {
    guard outcome == .completed else { return .error }
    return verdict.map(ExitStatus.init) ?? .consistent
  }
}

extension ProcedureReport {
  /// This run followed by the repair rounds that came after it: their steps appended (ids
  /// prefixed `repairN.`), the first failure of any, the first stopped window (this run's, else
  /// the first round's that stopped the source), and the last round's verdict and counts.
  public func followed(by repairs: [ProcedureReport]) -> ProcedureReport {
    var combined = self
    for (index, repair) in repairs.enumerated() {
      let prefix = "repair\(index + 1)."
      combined.steps += repair.steps.map { step in
        var step = step
        step.id = prefix + step.id
        return step
      }
      if combined.window == nil { combined.window = repair.window }
      if combined.outcome == .completed, repair.outcome != .completed {
        combined.outcome = repair.outcome == .refused ? .failed : repair.outcome
        combined.failedStep = repair.failedStep.map { prefix + $0 }
        combined.failure = repair.failure
        combined.startCommand = repair.startCommand
      }
      if repair.verdict != nil {
        combined.verdict = repair.verdict
        combined.findings = repair.findings
      }
    }
    return combined
  }
}
