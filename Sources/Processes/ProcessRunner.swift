import SystemPackage

/// Starts child processes and carries them to their end: the one way cyrus-failover runs
/// another program (ssh, rsync, Cyrus's tools, service commands, its own Berkeley DB reader).
///
/// Every run has an explicit argv and environment (``Invocation``), captured output with a byte
/// limit or a stream read as it comes, an optional time limit and cancellation, each ending the
/// child's whole process group; the exit status and the killing signal stay apart
/// (``Termination``). Every start and end goes to the ``ProcessLog``, with the full argv.
public struct ProcessRunner: Sendable {
  /// Where starts and ends are reported.
  public var log: (any ProcessLog)?
  /// How long a child gets between SIGTERM and SIGKILL when it is ended.
  public var terminationGrace: Duration

  /// A runner reporting to `log`.
  public init(log: (any ProcessLog)? = nil, terminationGrace: Duration = .seconds(5)) {
    self.log = log
    self.terminationGrace = terminationGrace
  }

  /// Starts `invocation` and leaves it running (pipes, a long-lived agent).
  public func start(_ invocation: Invocation) throws(ProcessError) -> ChildProcess {
    try ChildProcess(invocation, log: log)
  }

  /// Runs `invocation` to its end.
  /// - Parameters:
  ///   - timeLimit: the child's group is ended when it runs longer.
  ///   - cancellation: ends the child's group when raised.
  public func run(
    _ invocation: Invocation, timeLimit: Duration? = nil, cancellation: Cancellation? = nil
  ) throws(ProcessError) -> ProcessOutcome {
    let child = try start(invocation)
    let deadline = timeLimit.map { ContinuousClock.now + $0 }
    while true {
      let slice = ContinuousClock.now + .milliseconds(100)
      if child.wait(until: deadline.map { min($0, slice) } ?? slice) != nil {
        return child.finish()
      }
      if cancellation?.isCancelled == true {
        child.terminate(grace: terminationGrace)
        return child.finish(cancelled: true)
      }
      if let deadline, ContinuousClock.now >= deadline {
        child.terminate(grace: terminationGrace)
        return child.finish(timedOut: true)
      }
    }
  }

  /// Runs `invocation`, whose standard output must be ``Invocation/Output/pipe``, handing each
  /// chunk of its standard output to `body` as it arrives.
  /// - Parameters:
  ///   - idleLimit: the child's group is ended when it writes nothing for this long (a hang).
  ///   - body: takes each chunk; when it throws, the child's group is ended and the error
  ///     passes through.
  public func stream(
    _ invocation: Invocation, idleLimit: Duration? = nil, timeLimit: Duration? = nil,
    cancellation: Cancellation? = nil, _ body: (ArraySlice<UInt8>) throws -> Void
  ) throws -> ProcessOutcome {
    precondition(invocation.standardOutput == .pipe, "stream reads a piped standard output")
    let child = try start(invocation)
    guard let output = child.standardOutput else {
      preconditionFailure("a piped standard output has a reading end")
    }
    defer { try? output.close() }
    let deadline = timeLimit.map { ContinuousClock.now + $0 }
    var idleDeadline = idleLimit.map { ContinuousClock.now + $0 }
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      if cancellation?.isCancelled == true {
        child.terminate(grace: terminationGrace)
        return child.finish(cancelled: true)
      }
      let now = ContinuousClock.now
      if let deadline, now >= deadline {
        child.terminate(grace: terminationGrace)
        return child.finish(timedOut: true)
      }
      if let limit = idleDeadline, now >= limit {
        child.terminate(grace: terminationGrace)
        return child.finish(timedOut: true)
      }
      guard SystemCalls.waitReadable(output, milliseconds: 100) else { continue }
      let count: Int
      do {
        count = try chunk.withUnsafeMutableBytes { try output.read(into: $0) }
      } catch {
        child.terminate(grace: terminationGrace)
        _ = child.finish()
        throw ProcessError(
          .io, executable: invocation.executable,
          reason: "cannot read its output: \(error)")
      }
      if count == 0 { break }
      idleDeadline = idleLimit.map { ContinuousClock.now + $0 }
      do {
        try body(chunk[0..<count])
      } catch {
        child.terminate(grace: terminationGrace)
        _ = child.finish()
        throw error
      }
    }
    // End of output: the child is exiting; give it the rest of its time limit to do so.
    if child.wait(until: deadline) == nil {
      child.terminate(grace: terminationGrace)
      return child.finish(timedOut: true)
    }
    return child.finish()
  }
}
