/// The exit statuses of every cyrus-failover command, in one place (README, `--help`).
public enum ExitStatus: Int32, Sendable, CaseIterable {
  /// Consistent; or the command did what it was asked.
  case consistent = 0
  /// Differences found (verify, `mboxlist check`), or a procedure that ended with findings.
  case differences = 1
  /// An error: could not verify completely, bad options, a side that cannot be reached, a
  /// step of a procedure that failed.
  case error = 2

  /// The status a verification's verdict stands for.
  public init(_ verdict: Verdict) {
    switch verdict {
    case .consistent: self = .consistent
    case .differences: self = .differences
    case .incomplete: self = .error
    }
  }

  /// What the status means, for `--help`.
  public var meaning: String {
    switch self {
    case .consistent: "consistent"
    case .differences: "differences found"
    case .error: "error (could not verify completely)"
    }
  }
}
