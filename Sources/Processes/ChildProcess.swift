import Foundation
import Glibc
import SystemPackage

/// One running child process, started with `posix_spawn` in a process group of its own.
///
/// It owns the child: the child is always reaped, and if this object goes away first (an error,
/// a cancel) the child's whole group — the child and whatever it started, such as the `ssh`
/// under `rsync` — is killed first, so no process outlives the run that started it. Captured
/// output is drained on threads of its own, so a chatty child never blocks on a full pipe.
public final class ChildProcess: @unchecked Sendable {
  /// What was started.
  public let invocation: Invocation
  /// The child's process id, which is also its process group id.
  public let pid: pid_t
  /// The writing end of the child's standard input (``Invocation/Input/pipe`` only); close it
  /// with ``closeStandardInput()`` to give the child its end of file.
  public private(set) var standardInput: FileDescriptor?
  /// The reading end of its standard output (``Invocation/Output/pipe`` only).
  public let standardOutput: FileDescriptor?
  /// The reading end of its standard error (``Invocation/Output/pipe`` only).
  public let standardError: FileDescriptor?

  private let log: (any ProcessLog)?
  private let outputCollector: OutputCollector?
  private let errorCollector: OutputCollector?
  private let feeder: Thread?
  private let lock = NSLock()
  private var ended: Termination?
  private var finished: ProcessOutcome?
  private let startClock = ContinuousClock.now
  private let startedAt = SystemCalls.now()

  /// Starts `invocation`.
  /// - Throws: ``ProcessError`` when the program is not there, or a pipe, a redirection or
  ///   `posix_spawn` fails; nothing is left running then.
  public init(_ invocation: Invocation, log: (any ProcessLog)? = nil) throws(ProcessError) {
    self.invocation = invocation
    self.log = log
    guard invocation.executable.hasPrefix("/") else {
      throw ProcessError(
        .notFound, executable: invocation.executable,
        reason: "not an absolute path (resolve it on PATH first)")
    }
    guard SystemCalls.isExecutableFile(invocation.executable) else {
      throw ProcessError(
        .notFound, executable: invocation.executable, reason: "no such executable file")
    }
    let spawned = try Spawner.spawn(invocation)
    pid = spawned.pid
    standardOutput = spawned.outputPipe
    standardError = spawned.errorPipe
    standardInput = spawned.inputPipe
    outputCollector = spawned.outputCapture.map {
      OutputCollector($0.fd, limit: $0.limit, keepTail: $0.tail)
    }
    errorCollector = spawned.errorCapture.map {
      OutputCollector($0.fd, limit: $0.limit, keepTail: $0.tail)
    }
    if case .bytes(let bytes) = invocation.standardInput, let fd = spawned.feedPipe {
      let thread = Thread { Self.feed(bytes, to: fd) }
      thread.start()
      feeder = thread
    } else {
      feeder = nil
    }
    log?.started(invocation, pid: pid)
  }

  deinit {
    if ended == nil {
      _ = Glibc.kill(-pid, SIGKILL)
      _ = SystemCalls.waitpid(pid, block: true)
    }
    try? standardInput?.close()
  }

  /// Writes `bytes` to the child's standard input and closes it. SIGPIPE is blocked on this
  /// thread, so a child that exits without reading everything gives EPIPE here, not a signal.
  private static func feed(_ bytes: [UInt8], to fd: FileDescriptor) {
    var blocked = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGPIPE)
    pthread_sigmask(SIG_BLOCK, &blocked, nil)
    _ = try? fd.writeAll(bytes)
    try? fd.close()
  }

  /// Closes the writing end of the child's standard input (``Invocation/Input/pipe``).
  public func closeStandardInput() {
    lock.lock()
    defer { lock.unlock() }
    try? standardInput?.close()
    standardInput = nil
  }

  /// How the child ended, if it has (reaps it then); nil while it runs.
  public func poll() -> Termination? {
    lock.lock()
    defer { lock.unlock() }
    if let ended { return ended }
    let (status, gone) = SystemCalls.waitpid(pid, block: false)
    if let status { ended = Termination(waitStatus: status) }
    if gone { ended = .exited(-1) }
    return ended
  }

  /// Waits for the child to end, at most until `deadline`; nil when it still runs then.
  public func wait(until deadline: ContinuousClock.Instant? = nil) -> Termination? {
    var pause = Duration.milliseconds(1)
    while true {
      if let ended = poll() { return ended }
      if let deadline, ContinuousClock.now >= deadline { return nil }
      Thread.sleep(forTimeInterval: Double(pause.components.attoseconds) / 1e18)
      pause = min(pause * 2, .milliseconds(50))
    }
  }

  /// Sends `signal` to the child's whole process group (while it has not been reaped).
  public func signalGroup(_ signal: Int32) {
    lock.lock()
    defer { lock.unlock() }
    guard ended == nil else { return }
    _ = Glibc.kill(-pid, signal)
  }

  /// Ends the child's group: SIGTERM, then SIGKILL after `grace`; waits for the child.
  @discardableResult
  public func terminate(grace: Duration = .seconds(5)) -> Termination {
    if let ended = poll() { return ended }
    signalGroup(SIGTERM)
    if let ended = wait(until: ContinuousClock.now + grace) { return ended }
    signalGroup(SIGKILL)
    return wait() ?? .signaled(SIGKILL)
  }

  /// Waits for the end of the child and of its captured output, and reports it to the log
  /// (once: later calls return the same outcome).
  /// - Parameters:
  ///   - timedOut: it was ended for running past its time limit.
  ///   - cancelled: it was ended by a cancel.
  public func finish(timedOut: Bool = false, cancelled: Bool = false) -> ProcessOutcome {
    lock.lock()
    let done = finished
    lock.unlock()
    if let done { return done }
    let termination = wait() ?? .exited(-1)
    let output = outputCollector?.finish() ?? (bytes: [], dropped: 0)
    let error = errorCollector?.finish() ?? (bytes: [], dropped: 0)
    let outcome = ProcessOutcome(
      termination: termination, standardOutput: output.bytes, standardError: error.bytes,
      droppedOutputBytes: output.dropped, droppedErrorBytes: error.dropped, timedOut: timedOut,
      cancelled: cancelled, duration: ContinuousClock.now - startClock, startedAt: startedAt,
      endedAt: SystemCalls.now())
    lock.lock()
    finished = outcome
    lock.unlock()
    log?.ended(invocation, pid: pid, outcome: outcome)
    return outcome
  }

  /// What the child has written to a captured standard error so far.
  public var standardErrorSoFar: [UInt8] { errorCollector?.snapshot ?? [] }
}
