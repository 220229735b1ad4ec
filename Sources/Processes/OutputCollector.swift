import Foundation
import SystemPackage

/// Drains one output pipe of a child on a thread of its own, keeping the head or the tail of
/// what it reads up to a byte limit, so that a child writing much can never block on a full
/// pipe and never grow this process's memory past the limit.
///
/// A daemon the child started may inherit the pipe and keep it open long after the child
/// exited: ``finish(grace:)`` then stops reading after a grace period instead of waiting for an
/// end of file that may never come.
final class OutputCollector: @unchecked Sendable {
  private let condition = NSCondition()
  private var kept: [UInt8] = []
  private var dropped: UInt64 = 0
  private var done = false
  private var stopAt: ContinuousClock.Instant?
  private let limit: Int
  private let keepTail: Bool
  /// Bytes read from the pipe at a time.
  static let chunkBytes = 1 << 16

  /// Starts draining `fd` (which the collector closes at its end).
  init(_ fd: FileDescriptor, limit: Int, keepTail: Bool) {
    precondition(limit >= 0, "a capture limit is not negative")
    self.limit = limit
    self.keepTail = keepTail
    let thread = Thread { [self] in
      var chunk = [UInt8](repeating: 0, count: Self.chunkBytes)
      while !shouldStop() {
        guard SystemCalls.waitReadable(fd, milliseconds: 100) else { continue }
        let count =
          (try? chunk.withUnsafeMutableBytes { try fd.read(into: $0, retryOnInterrupt: true) }) ?? 0
        if count <= 0 { break }
        append(chunk[0..<count])
      }
      try? fd.close()
      condition.lock()
      done = true
      condition.broadcast()
      condition.unlock()
    }
    thread.start()
  }

  private func shouldStop() -> Bool {
    condition.lock()
    defer { condition.unlock() }
    guard let stopAt else { return false }
    return ContinuousClock.now >= stopAt
  }

  private func append(_ bytes: ArraySlice<UInt8>) {
    condition.lock()
    defer { condition.unlock() }
    if keepTail {
      kept += bytes
      if kept.count > limit {
        dropped += UInt64(kept.count - limit)
        kept.removeFirst(kept.count - limit)
      }
    } else {
      let room = max(0, limit - kept.count)
      kept += bytes.prefix(room)
      dropped += UInt64(bytes.count - min(room, bytes.count))
    }
  }

  /// Waits until the pipe reached its end, or `grace` passed (a daemon holds it open), then
  /// returns what was kept.
  func finish(grace: Duration = .seconds(2)) -> (bytes: [UInt8], dropped: UInt64) {
    condition.lock()
    defer { condition.unlock() }
    if stopAt == nil { stopAt = ContinuousClock.now + grace }
    while !done { condition.wait() }
    return (kept, dropped)
  }

  /// What was kept so far (the pipe may still be open).
  var snapshot: [UInt8] {
    condition.lock()
    defer { condition.unlock() }
    return kept
  }
}
