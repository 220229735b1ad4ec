import Dispatch
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Runs a call that must not block on a thread of its own and waits for it at most
/// ``seconds``: a regression that opens a FIFO blocking fails the test instead of hanging the
/// suite. (`TemporaryTree.fifo`'s guard only unblocks; it never fails a test.)
enum Deadline {
  /// Far above what any of these calls takes (milliseconds), far below a hung suite.
  static let seconds = 10.0

  /// The call's result; `nil`, with the test failed, when it did not return in time. Then the
  /// FIFO it waits on is opened for writing once, so that the stuck thread returns and the
  /// suite goes on.
  static func run<T: Sendable>(
    unblocking fifo: String?, _ body: @escaping @Sendable () -> T
  ) -> T? {
    let result = Box<T>()
    let done = DispatchSemaphore(value: 0)
    Thread {
      result.value = body()
      done.signal()
    }.start()
    if done.wait(timeout: .now() + seconds) == .success { return result.value }
    Issue.record("did not return within \(seconds) s: blocked on \(fifo ?? "nothing")")
    if let fifo {
      let fd = Glibc.open(fifo, O_WRONLY | O_NONBLOCK)
      if fd >= 0 { close(fd) }
    }
    _ = done.wait(timeout: .now() + seconds)
    return nil
  }

  /// The call's result, handed from its thread to the waiting one.
  final class Box<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: T?
    var value: T? {
      get { lock.withLock { stored } }
      set { lock.withLock { stored = newValue } }
    }
  }
}
