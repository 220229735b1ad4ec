import Foundation

/// Reads file contents for one side's walk on several threads, and hands the steps back in the
/// order they went in (the canonical order), each with its read's result.
///
/// The walking thread ``submit(_:)``s steps while ``hasRoom``, and ``takeFirst(_:)``s the oldest,
/// waiting for its read if it is not done. Between the two, at most ``entryLimit`` steps,
/// ``byteLimit`` bytes of file content and state records and ``directoryLimit`` runs of files
/// from one directory wait or are being read, whatever the size of the spool: memory stays flat
/// (one entry per step, one read buffer per thread), and so do open descriptors (a step keeps
/// its directory open until it is read, and a directory the walk has left counts as a run).
///
/// The reads go to the hashing threads through ``ReadWorkers`` (batched, so that a thread is not
/// woken per file), and a full window is refilled only once it has drained to half.
final class HashWindow: @unchecked Sendable {
  /// Most steps between submit and take: enough for the threads to run past a large file at
  /// the head (messages are mostly a few KiB to a few hundred).
  static let entryLimit = 1024
  /// Most bytes of file content (file sizes) and of seen and subscription records
  /// (``StateSummary/heldBytes``) between submit and take; one larger file still goes in alone.
  static let byteLimit: UInt64 = 64 << 20
  /// Most runs of consecutive reads from one directory between submit and take, which bounds
  /// the directories held open for reads beyond the walk's own stack.
  static let directoryLimit = 64

  /// One step on its way through the window.
  private final class Slot: ReadJob, @unchecked Sendable {
    /// Read by the hashing thread until ``done``; finished in place by ``takeFirst(_:)`` after
    /// that, then `nil`.
    // swift-format-ignore: UseShorthandTypeNames
    var step: Optional<WalkStep>
    var size: UInt64
    var startsRun: Bool
    /// Set once by the reading thread, before ``done``.
    var result: Result<[UInt8], EntryProblem>?
    var started = false
    var done: Bool
    /// Whether it went to the hashing threads (which may still hold it).
    var submitted = false

    init(step: consuming WalkStep, size: UInt64, startsRun: Bool) {
      done = step.read == nil
      self.size = size
      self.startsRun = startsRun
      self.step = step
    }
  }

  /// Slots of steps that had nothing to read, taken out and kept for the next such steps:
  /// with a digest cache almost every step is one, and most wait behind a read. (A slot that
  /// went to the hashing threads is not kept: a thread may still hold it.)
  private var spareSlots: [Slot] = []

  private let workers: ReadWorkers<Slot, ContentHasher>

  // The walking thread's own state.
  /// Steps submitted; one taken is taken out of its slot at once (it holds its directory open).
  private var window: [Slot?] = []
  private var windowHead = 0
  private var bytes: UInt64 = 0
  private var runs = 0
  private var refilling = true
  /// Held strongly: a weak reference gives every listing a side table, and every retain and
  /// release of it the slow path (4 % of a full verify's CPU in a profile).
  private var lastDirectory: DirectoryListing?

  /// Starts `jobs` hashing threads, each with its own read buffer.
  init(jobs count: Int, options: WalkOptions) {
    precondition(count >= 2, "one hashing thread reads on the walking thread, without a window")
    let bufferSize = options.readBufferSize
    let hook = options.beforeHashing
    workers = ReadWorkers(
      count: count, name: "cyrus-failover hash",
      makeContext: { ContentHasher(bufferSize: bufferSize, beforeOpening: hook) },
      perform: { slot, hasher in
        guard let read = slot.step?.read else { preconditionFailure("only reads are queued") }
        slot.result = hasher.hash(read)
      })
  }

  /// Whether another step may go in now: until a limit is reached, then again once the window
  /// has drained to half of every limit.
  var hasRoom: Bool { refilling || windowHead == window.count }

  /// Whether no step is waiting: a step with nothing to read may then go out at once, without
  /// passing through a slot (with a digest cache, most files have nothing to read).
  var isEmpty: Bool { windowHead == window.count }

  /// Puts a step in; its read, if any, goes to the hashing threads with the next batch.
  func submit(_ step: consuming WalkStep) {
    let directory = step.read?.directory
    let reads = directory != nil
    let startsRun = reads && directory !== lastDirectory
    if let directory { lastDirectory = directory }
    let stateBytes = UInt64(step.entry.heldStateBytes)
    let size = (reads ? step.entry.size : 0).addingSaturated(stateBytes)
    // The step is moved into its slot (a copy would retain each of the entry's references).
    let slot: Slot
    if !reads, let spare = spareSlots.popLast() {
      spare.step = consume step
      spare.size = size
      spare.startsRun = startsRun
      slot = spare
    } else {
      slot = Slot(step: step, size: size, startsRun: startsRun)
    }
    window.append(slot)
    bytes = bytes.addingSaturated(size)
    if startsRun { runs += 1 }
    if window.count - windowHead >= Self.entryLimit || bytes >= Self.byteLimit
      || runs >= Self.directoryLimit
    {
      refilling = false
    }
    guard reads else { return }
    slot.submitted = true
    workers.submit(slot)
  }

  /// Calls `body` with the oldest step, in its slot, and its read's result (`nil` when it had
  /// none) once the read is done, and returns what `body` returns; `nil` when the window is
  /// empty. The step is worked on in place (a step is some 300 bytes: moving it out of its
  /// slot and through return values copied it several times per file), then dropped.
  func takeFirst<Outcome>(
    _ body: (inout WalkStep, Result<[UInt8], EntryProblem>?) -> Outcome
  ) -> Outcome? {
    guard windowHead < window.count else { return nil }
    guard let slot = window[windowHead].take() else {
      preconditionFailure("a step is taken once")
    }
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
    workers.wait(for: slot)
    let result = slot.result.take()
    guard let outcome = slot.step?.update({ body(&$0, result) }) else {
      preconditionFailure("a step is taken once")
    }
    slot.step = nil
    if !slot.submitted && spareSlots.count < Self.entryLimit { spareSlots.append(slot) }
    return outcome
  }

  /// Stops the hashing threads after the reads they are doing; reads not started are dropped.
  func stop() { workers.stop() }
}
