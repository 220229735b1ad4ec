import CyrusStore
import Foundation

/// Runs a ``ManifestSource`` on its own thread and hands its entries over in batches through a
/// bounded queue, so that both sides are walked and hashed at the same time while memory stays
/// bounded (at most `queueLimit` batches of `batchSize` entries wait).
public final class PrefetchingSource: ManifestSource, @unchecked Sendable {
  private let condition = NSCondition()
  private var batches: [[ManifestEntry]] = []
  private var finished = false
  private var failure: (any Error)?
  /// The batch being handed out, in reverse order.
  private var current: [ManifestEntry] = []
  private var cancelled = false
  private let queueLimit: Int

  /// Starts `make()`'s source on a new thread right away.
  public init(
    batchSize: Int = 256, queueLimit: Int = 16,
    make: @escaping @Sendable () throws -> any ManifestSource
  ) {
    self.queueLimit = queueLimit
    let thread = Thread { [self] in
      do {
        var source = try make()
        var batch: [ManifestEntry] = []
        batch.reserveCapacity(batchSize)
        while let entry = try source.next() {
          batch.append(entry)
          if batch.count == batchSize {
            guard push(batch) else { return }
            batch.removeAll(keepingCapacity: true)
          }
        }
        _ = push(batch)
        finish(nil)
      } catch {
        finish(error)
      }
    }
    thread.stackSize = 4 << 20
    thread.start()
  }

  deinit { cancel() }

  /// Stops the producer at its next batch.
  public func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  private func push(_ batch: [ManifestEntry]) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while batches.count >= queueLimit && !cancelled { condition.wait() }
    guard !cancelled else { return false }
    if !batch.isEmpty { batches.append(batch) }
    condition.broadcast()
    return true
  }

  private func finish(_ error: (any Error)?) {
    condition.lock()
    finished = true
    failure = error
    condition.broadcast()
    condition.unlock()
  }

  public func next() throws -> ManifestEntry? {
    // The batch is kept reversed, so each entry is moved out of it, not copied.
    if let entry = current.popLast() { return entry }
    condition.lock()
    while batches.isEmpty && !finished { condition.wait() }
    if batches.isEmpty {
      let error = failure
      condition.unlock()
      if let error { throw error }
      return nil
    }
    current = batches.removeFirst()
    condition.broadcast()
    condition.unlock()
    current.reverse()
    return current.popLast()
  }
}
