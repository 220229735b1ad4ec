import CyrusStore
import Foundation

/// Runs a ``ManifestSource`` on its own thread and hands its entries over in batches through a
/// bounded queue, so that both sides are walked and hashed at the same time while memory stays
/// bounded: at most `queueLimit` batches of `batchSize` entries wait, and the seen and
/// subscription records they carry stay under ``StateSummary/queuedItemBytes`` (a batch is
/// handed over early once it holds a quarter of that).
public final class PrefetchingSource: ManifestSource, @unchecked Sendable {
  private let condition = NSCondition()
  private var batches: [Batch] = []
  /// Bytes of state records (``StateSummary/heldBytes``) in `batches`.
  private var queuedStateBytes = 0
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
        var batch = Batch()
        batch.entries.reserveCapacity(batchSize)
        while let entry = try source.next() {
          batch.stateBytes += entry.heldStateBytes
          batch.entries.append(consume entry)
          if batch.entries.count >= batchSize
            || batch.stateBytes >= StateSummary.queuedItemBytes / 4
          {
            guard push(batch) else { return }
            batch = Batch()
            batch.entries.reserveCapacity(batchSize)
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

  private struct Batch {
    var entries: [ManifestEntry] = []
    var stateBytes = 0
  }

  /// Queues a batch once there is room (fewer than `queueLimit` batches and state records
  /// under the limit); `false` when cancelled.
  private func push(_ batch: Batch) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while batches.count >= queueLimit || queuedStateBytes >= StateSummary.queuedItemBytes,
      !cancelled
    {
      condition.wait()
    }
    guard !cancelled else { return false }
    if !batch.entries.isEmpty {
      batches.append(batch)
      queuedStateBytes += batch.stateBytes
    }
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
    let batch = batches.removeFirst()
    queuedStateBytes -= batch.stateBytes
    current = batch.entries
    condition.broadcast()
    condition.unlock()
    // Reversed through the buffer, whose swaps move entries; Array's own copy them.
    current.withUnsafeMutableBufferPointer { $0.reverse() }
    return current.popLast()
  }
}
