import Foundation

/// A flag a caller raises to end the runs it handed it to (a signal handler's thread, a
/// watchdog): every run that watches it ends its child's process group and returns, with
/// ``ProcessOutcome/cancelled`` set.
public final class Cancellation: @unchecked Sendable {
  private let lock = NSLock()
  private var raised = false

  /// A flag not raised yet.
  public init() {}

  /// Raises the flag.
  public func cancel() {
    lock.lock()
    raised = true
    lock.unlock()
  }

  /// Whether the flag is raised.
  public var isCancelled: Bool {
    lock.lock()
    defer { lock.unlock() }
    return raised
  }
}
