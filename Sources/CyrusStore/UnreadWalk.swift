import Foundation

/// One side's walk for ``SameHostPairing``, run on its own thread: its entries handed over
/// unread (each with the read still to do), in batches through a bounded queue, so that the
/// two walks, the reads and the diff run at the same time.
///
/// A read keeps its directory open until it is done, so the queue is bounded both by entries
/// and by runs of reads from one directory: at most ``queueEntries`` entries and
/// ``queueRuns`` runs wait, plus one batch (``batchEntries``, ``batchRuns``) on each end,
/// whatever the tree holds (a million mailboxes of one message each open no more directories
/// than one large mailbox).
final class UnreadWalk: @unchecked Sendable {
  /// An entry of the walk and the read of its content still to do.
  ///
  /// A struct, not a tuple: Swift 6.3 copies a tuple holding an entry (or an optional one)
  /// through the runtime's generic tuple witnesses, and the code binding one out of an optional
  /// copied it whole several times per entry; a struct's fields are moved out one by one
  /// (``ManifestEntry/take(_:)``, `Optional.take()`). Its read is spelled
  /// `Optional<ContentRead>` for the reason ``ManifestEntry`` gives.
  struct Unread {
    /// The entry, without its digest.
    var entry: ManifestEntry
    /// The content to read, if any.
    // swift-format-ignore: UseShorthandTypeNames
    var read: Optional<ContentRead>

    /// An empty entry with nothing to read: what a slot holds that has no item (see
    /// ``ManifestEntry/take(_:)``).
    static var empty: Unread {
      Unread(entry: ManifestEntry(area: "", path: .root, kind: .unknown), read: nil)
    }
  }

  /// Entries in a batch handed over at once.
  static let batchEntries = 256
  /// Runs of reads from one directory in a batch (each holds the directory open).
  static let batchRuns = 16
  /// Entries waiting in the queue before the walk waits.
  static let queueEntries = 4096
  /// Runs of reads from one directory waiting in the queue before the walk waits.
  static let queueRuns = 48
  /// Bytes of seen and subscription records (``ManifestEntry/heldStateBytes``) in the queue or
  /// a batch before it waits or is handed over.
  static let queueStateBytes = StateSummary.queuedItemBytes

  private struct Batch {
    var items: [Unread] = []
    var runs = 0
    var stateBytes = 0
  }

  private let condition = NSCondition()
  private var batches: [Batch] = []
  private var queuedEntries = 0
  private var queuedRuns = 0
  private var queuedStateBytes = 0
  private var finished = false
  private var cancelled = false
  /// The batch being handed out, reversed (each entry is moved out, not copied).
  private var current: [Unread] = []

  /// Starts walking `walker` on a new thread right away.
  init(_ walker: InstanceWalker) {
    let thread = Thread { [self] in produce(walker) }
    thread.name = "cyrus-failover walk"
    thread.stackSize = 4 << 20
    thread.start()
  }

  deinit { cancel() }

  /// Stops the walk at its next batch.
  func cancel() {
    condition.lock()
    cancelled = true
    condition.broadcast()
    condition.unlock()
  }

  /// The walk's next entry; `nil` at its end.
  func next() -> Unread? {
    if let item = current.popLast() { return item }
    condition.lock()
    while batches.isEmpty && !finished && !cancelled { condition.wait() }
    guard !batches.isEmpty else {
      condition.unlock()
      return nil
    }
    var batch = batches.removeFirst()
    queuedEntries -= batch.items.count
    queuedRuns -= batch.runs
    queuedStateBytes -= batch.stateBytes
    condition.broadcast()
    condition.unlock()
    // `current` is empty: the batch's items move in, not copied.
    swap(&current, &batch.items)
    // Reversed through the buffer, whose swaps move items; Array's own copy them.
    current.withUnsafeMutableBufferPointer { $0.reverse() }
    return current.popLast()
  }

  private func produce(_ walker: InstanceWalker) {
    var batch = Batch()
    batch.items.reserveCapacity(Self.batchEntries)
    var lastDirectory: DirectoryListing?  // strong: see HashWindow.lastDirectory
    while let item = walker.nextUnread() {
      if let directory = item.read?.directory, directory !== lastDirectory {
        lastDirectory = directory
        batch.runs += 1
      }
      batch.stateBytes += item.entry.heldStateBytes
      batch.items.append(consume item)
      if batch.items.count >= Self.batchEntries || batch.runs >= Self.batchRuns
        || batch.stateBytes >= Self.queueStateBytes / 4
      {
        guard push(batch) else { return }
        batch = Batch()
        batch.items.reserveCapacity(Self.batchEntries)
      }
    }
    _ = push(batch)
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// Queues a batch once there is room; `false` when cancelled.
  private func push(_ batch: Batch) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while queuedEntries >= Self.queueEntries || queuedRuns >= Self.queueRuns
      || queuedStateBytes >= Self.queueStateBytes, !cancelled
    {
      condition.wait()
    }
    guard !cancelled else { return false }
    guard !batch.items.isEmpty else { return true }
    batches.append(batch)
    queuedEntries += batch.items.count
    queuedRuns += batch.runs
    queuedStateBytes += batch.stateBytes
    condition.broadcast()
    return true
  }
}
