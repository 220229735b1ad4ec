/// What a finished child process left: how it ended, what it wrote, how long it ran.
public struct ProcessOutcome: Sendable {
  /// Exit status or signal.
  public var termination: Termination
  /// Standard output, when it was captured (at most its limit).
  public var standardOutput: [UInt8]
  /// Standard error, when it was captured (its head or tail, at most its limit).
  public var standardError: [UInt8]
  /// Bytes the child wrote beyond a capture limit and that were dropped.
  public var droppedOutputBytes: UInt64
  public var droppedErrorBytes: UInt64
  /// Whether it was ended because it ran past its time limit.
  public var timedOut: Bool
  /// Whether it was ended because the caller cancelled it.
  public var cancelled: Bool
  /// Wall-clock run time.
  public var duration: Duration
  /// Seconds since the epoch at start and end (for logs).
  public var startedAt: Double
  public var endedAt: Double

  /// Exit status 0, in time, not cancelled.
  public var succeeded: Bool { termination.succeeded && !timedOut && !cancelled }

  /// Standard output as text (invalid UTF-8 repaired).
  public var outputText: String { String(decoding: standardOutput, as: UTF8.self) }

  /// Standard error as text (invalid UTF-8 repaired).
  public var errorText: String { String(decoding: standardError, as: UTF8.self) }

  /// How it ended, for a message: `exit status 3`, `killed by SIGKILL after its time limit`.
  public var summary: String {
    if timedOut { return "\(termination) after running past its time limit" }
    if cancelled { return "\(termination) (cancelled)" }
    return termination.description
  }
}
