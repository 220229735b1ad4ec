import Foundation
import Glibc
import Processes

/// The signals that end a run — SIGINT, SIGTERM, SIGHUP — taken by one thread of the
/// executable instead of killing the process: a procedure in its stopped window must start
/// the primary again before it ends. They are blocked in every thread (children get an empty
/// mask and default dispositions) and read with `sigwait`; a procedure's `cancellation` is
/// raised, any other command ends with exit status 2.
final class SignalRelay: @unchecked Sendable {
  /// Raised on the first signal.
  let cancellation = Cancellation()
  private let lock = NSLock()
  private var cancels = false
  private var announce: (@Sendable (Int32) -> Void)?

  static let signals = [SIGINT, SIGTERM, SIGHUP]

  /// Blocks the signals and starts the thread that waits for them. Called by `main` before any
  /// other thread exists, so that every thread inherits the mask.
  init() {
    var set = sigset_t()
    sigemptyset(&set)
    for number in Self.signals { sigaddset(&set, number) }
    pthread_sigmask(SIG_BLOCK, &set, nil)
    let waited = set
    let thread = Thread { [self] in
      var set = waited
      while true {
        var number: Int32 = 0
        guard sigwait(&set, &number) == 0 else { continue }
        lock.lock()
        let cancelling = cancels
        let say = announce
        lock.unlock()
        guard cancelling else { Console.exit(128 + number) }
        say?(number)
        cancellation.cancel()
      }
    }
    thread.start()
  }

  /// From now on a signal cancels instead of ending the process.
  func cancelOnSignal(announce: @escaping @Sendable (Int32) -> Void) {
    lock.lock()
    cancels = true
    self.announce = announce
    lock.unlock()
  }
}
