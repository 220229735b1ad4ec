/// Told of every child process the runner starts and ends, with its full argv: the caller
/// decides where that goes (the executable logs it at debug level, the procedure to its log).
public protocol ProcessLog: Sendable {
  /// `invocation` was started as `pid`.
  func started(_ invocation: Invocation, pid: Int32)
  /// `pid` ended; `outcome` says how and when.
  func ended(_ invocation: Invocation, pid: Int32, outcome: ProcessOutcome)
}
