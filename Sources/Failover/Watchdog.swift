import Foundation
import Glibc
import Processes
import SystemPackage

/// The process a procedure leaves beside itself while the source's Cyrus is stopped, so that a
/// procedure killed outright (SIGKILL, the OOM killer) cannot leave the primary down.
///
/// It is a second `cyrus-failover` (`watchdog`, hidden) whose standard input is a pipe from the
/// procedure. The procedure writes `window-open` before it stops the source, `child PGID` and
/// `child-done PGID` around every program it runs, and `window-closed` once the start is
/// confirmed. When the pipe ends — however the procedure ended — with the window still open,
/// the watchdog ends the programs still running (their process groups), runs the start command
/// until the status command says Cyrus runs, and exits.
public final class Watchdog: @unchecked Sendable {
  /// What the watchdog needs to start the source: its commands, its environment, its limits.
  public struct Configuration: Sendable, Codable, Equatable {
    public var start: [String]
    public var status: [String]
    public var environment: [String: String]
    public var startTimeout: Int
    public var attempts: Int

    /// Makes a configuration.
    public init(
      start: [String], status: [String], environment: [String: String], startTimeout: Int,
      attempts: Int = 3
    ) {
      self.start = start
      self.status = status
      self.environment = environment
      self.startTimeout = startTimeout
      self.attempts = attempts
    }
  }

  private let child: ChildProcess
  private let lock = NSLock()

  /// Starts `executable watchdog CONFIGURATION-JSON`, its standard error appended to `logPath`.
  public init(
    executable: String, configuration: Configuration, logPath: String?, runner: ProcessRunner
  ) throws {
    let json = String(decoding: try JSONEncoder().encode(configuration), as: UTF8.self)
    child = try runner.start(
      Invocation(
        executable, ["watchdog", json], environment: Invocation.minimalEnvironment,
        standardInput: .pipe, standardOutput: .discard,
        standardError: logPath.map { .file($0, append: true) } ?? .discard))
  }

  private func send(_ line: String) {
    lock.lock()
    defer { lock.unlock() }
    guard let input = child.standardInput else { return }
    var blocked = sigset_t()
    sigemptyset(&blocked)
    sigaddset(&blocked, SIGPIPE)
    var previous = sigset_t()
    pthread_sigmask(SIG_BLOCK, &blocked, &previous)
    _ = try? input.writeAll(Array((line + "\n").utf8))
    pthread_sigmask(SIG_SETMASK, &previous, nil)
  }

  /// The source is about to be stopped.
  public func windowOpened() { send("window-open") }
  /// A program runs in process group `pgid`.
  public func childStarted(_ pgid: Int32) { send("child \(pgid)") }
  /// It has ended.
  public func childEnded(_ pgid: Int32) { send("child-done \(pgid)") }
  /// The source's start is confirmed.
  public func windowClosed() { send("window-closed") }

  /// Ends the watchdog (the window closed normally).
  public func finish() {
    child.closeStandardInput()
    _ = child.wait(until: ContinuousClock.now + .seconds(10))
    _ = child.terminate(grace: .seconds(1))
  }

  /// The watchdog's side: reads the procedure's lines from `input` until it ends; if the window
  /// is open then, ends the programs left and starts the source.
  /// - Returns: whether the source needed no start or was started.
  public static func serve(
    _ configuration: Configuration, input: FileDescriptor, runner: ProcessRunner,
    say: (String) -> Void
  ) -> Bool {
    var open = false
    var children: Set<Int32> = []
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
      let count =
        (try? buffer.withUnsafeMutableBytes { try input.read(into: $0, retryOnInterrupt: true) })
        ?? 0
      if count <= 0 { break }
      pending += buffer[0..<count]
      while let newline = pending.firstIndex(of: 0x0A) {
        let line = String(decoding: pending[..<newline], as: UTF8.self)
        pending.removeSubrange(...newline)
        let words = line.split(separator: " ")
        switch words.first {
        case "window-open": open = true
        case "window-closed": open = false
        case "child": if words.count > 1, let pgid = Int32(words[1]) { children.insert(pgid) }
        case "child-done": if words.count > 1, let pgid = Int32(words[1]) { children.remove(pgid) }
        default: break
        }
      }
    }
    guard open else { return true }
    say(
      "cyrus-failover watchdog: the procedure ended inside the stopped window; starting the source")
    for pgid in children where pgid > 1 {
      _ = kill(-pgid, SIGTERM)
    }
    if !children.isEmpty {
      Thread.sleep(forTimeInterval: 2)
      for pgid in children where pgid > 1 { _ = kill(-pgid, SIGKILL) }
    }
    let starter = SourceStarter(
      start: configuration.start, status: configuration.status,
      host: CommandHost(place: .local, ssh: nil, environment: configuration.environment),
      timeout: configuration.startTimeout, attempts: configuration.attempts, runner: runner)
    let started = starter.startAndConfirm(say: say)
    say(
      started
        ? "cyrus-failover watchdog: the source's Cyrus runs again"
        : "cyrus-failover watchdog: THE SOURCE'S CYRUS DID NOT START: run "
          + configuration.start.map(Invocation.displayWord).joined(separator: " "))
    return started
  }
}
