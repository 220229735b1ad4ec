import Foundation

/// Reads file contents for one side's walk on several threads, and hands the steps back in the
/// order they went in (the canonical order), each with its read's result.
///
/// The walking thread ``submit(_:)``s steps while ``hasRoom``, and ``takeFirst()``s the oldest,
/// waiting for its read if it is not done. Between the two, at most ``entryLimit`` steps,
/// ``byteLimit`` bytes of file content and ``directoryLimit`` runs of files from one directory
/// wait or are being read, whatever the size of the spool: memory stays flat (one entry per
/// step, one read buffer per thread), and so do open descriptors (a step keeps its directory
/// open until it is read, and a directory the walk has left counts as a run).
///
/// Hand-overs are batched so that a thread is not woken per file: reads go to the hashing
/// threads ``handOverBatch`` at a time (or as soon as the walker would wait), a full window is
/// refilled only once it has drained to half, and a finished read wakes the walking thread only
/// when it is the one that thread waits for.
final class HashWindow: @unchecked Sendable {
  /// Most steps between submit and take: enough for the threads to run past a large file at
  /// the head (messages are mostly a few KiB to a few hundred).
  static let entryLimit = 1024
  /// Most bytes of file content (file sizes) between submit and take; one larger file still
  /// goes in alone.
  static let byteLimit: UInt64 = 64 << 20
  /// Most runs of consecutive reads from one directory between submit and take, which bounds
  /// the directories held open for reads beyond the walk's own stack.
  static let directoryLimit = 64
  /// Reads handed to the hashing threads at once.
  static let handOverBatch = 32

  /// One step on its way through the window.
  private final class Slot: @unchecked Sendable {
    let step: WalkStep
    let size: UInt64
    let startsRun: Bool
    /// Set once, under `results`' lock.
    var result: Result<[UInt8], EntryProblem>?
    var done: Bool

    init(step: WalkStep, size: UInt64, startsRun: Bool) {
      self.step = step
      self.size = size
      self.startsRun = startsRun
      done = step.read == nil
    }
  }

  /// Guards `queue`, `queueHead` and `stopped`; the hashing threads wait on it for work.
  private let jobs = NSCondition()
  private var queue: [Slot] = []
  private var queueHead = 0
  private var stopped = false
  /// Guards every slot's `result` and `done`, and `awaited`.
  private let results = NSCondition()
  /// The slot the walking thread waits for, if it waits.
  private var awaited: Slot?

  // The walking thread's own state.
  private var window: [Slot] = []
  private var windowHead = 0
  private var bytes: UInt64 = 0
  private var runs = 0
  private var refilling = true
  private var unsent: [Slot] = []
  /// Held strongly: a weak reference gives every listing a side table, and every retain and
  /// release of it the slow path (measured: 4 % of a full walk's CPU).
  private var lastDirectory: DirectoryListing?

  /// Starts `jobs` hashing threads, each with its own read buffer.
  init(jobs count: Int, options: WalkOptions) {
    precondition(count >= 2, "one hashing thread reads on the walking thread, without a window")
    for _ in 0..<count {
      let thread = Thread { [self] in
        work(
          ContentHasher(bufferSize: options.readBufferSize, beforeOpening: options.beforeHashing))
      }
      thread.name = "cyrus-failover hash"
      thread.start()
    }
  }

  /// Whether another step may go in now: until a limit is reached, then again once the window
  /// has drained to half of every limit.
  var hasRoom: Bool { refilling || windowHead == window.count }

  /// Puts a step in; its read, if any, goes to the hashing threads with the next batch.
  func submit(_ step: WalkStep) {
    let directory = step.read?.directory
    let startsRun = directory != nil && directory !== lastDirectory
    if let directory { lastDirectory = directory }
    let size = step.read == nil ? 0 : step.entry.size
    let slot = Slot(step: step, size: size, startsRun: startsRun)
    window.append(slot)
    bytes = bytes.addingSaturated(size)
    if startsRun { runs += 1 }
    if window.count - windowHead >= Self.entryLimit || bytes >= Self.byteLimit
      || runs >= Self.directoryLimit
    {
      refilling = false
    }
    guard step.read != nil else { return }
    unsent.append(slot)
    if unsent.count >= Self.handOverBatch { handOver() }
  }

  /// The oldest step and its read's result (`nil` when it had none), once the read is done;
  /// `nil` when the window is empty.
  func takeFirst() -> (WalkStep, Result<[UInt8], EntryProblem>?)? {
    guard windowHead < window.count else { return nil }
    handOver()
    let slot = window[windowHead]
    windowHead += 1
    if windowHead >= Self.entryLimit && windowHead * 2 >= window.count {
      window.removeFirst(windowHead)
      windowHead = 0
    }
    bytes -= Swift.min(bytes, slot.size)
    if slot.startsRun { runs -= 1 }
    if !refilling, window.count - windowHead <= Self.entryLimit / 2, bytes <= Self.byteLimit / 2,
      runs <= Self.directoryLimit / 2
    {
      refilling = true
    }
    results.lock()
    if !slot.done {
      awaited = slot
      while !slot.done { results.wait() }
      awaited = nil
    }
    let result = slot.result
    results.unlock()
    return (slot.step, result)
  }

  /// Stops the hashing threads after the reads they are doing; reads not started are dropped.
  func stop() {
    unsent.removeAll()
    jobs.lock()
    stopped = true
    queue.removeAll()
    queueHead = 0
    jobs.broadcast()
    jobs.unlock()
  }

  /// Gives the reads submitted since the last hand-over to the hashing threads.
  private func handOver() {
    guard !unsent.isEmpty else { return }
    jobs.lock()
    queue.append(contentsOf: unsent)
    if unsent.count == 1 { jobs.signal() } else { jobs.broadcast() }
    jobs.unlock()
    unsent.removeAll(keepingCapacity: true)
  }

  /// A hashing thread: takes the oldest waiting read, reads it, marks its slot done.
  private func work(_ hasher: ContentHasher) {
    while true {
      jobs.lock()
      while queueHead == queue.count && !stopped { jobs.wait() }
      if stopped {
        jobs.unlock()
        return
      }
      let slot = queue[queueHead]
      queueHead += 1
      if queueHead >= Self.entryLimit && queueHead * 2 >= queue.count {
        queue.removeFirst(queueHead)
        queueHead = 0
      }
      jobs.unlock()
      guard let read = slot.step.read else { preconditionFailure("only reads are queued") }
      let result = hasher.hash(read)
      results.lock()
      slot.result = result
      slot.done = true
      if awaited === slot { results.signal() }
      results.unlock()
    }
  }
}
