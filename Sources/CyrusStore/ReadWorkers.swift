import Foundation

/// A job for ``ReadWorkers``: done once, by one reading thread (or inline by the thread that
/// waits for it).
protocol ReadJob: AnyObject {
  /// Whether a thread (or the waiting consumer) has taken the job; set by ``ReadWorkers`` only,
  /// under its queue's lock.
  var started: Bool { get set }
  /// Whether the job has been done; set by ``ReadWorkers`` only, under its results' lock.
  var done: Bool { get set }
}

/// Threads that read file contents for one consumer: jobs go in with ``submit(_:)``, handed to
/// the threads in batches so that a thread is not woken per file, and the consumer
/// ``wait(for:)``s each in the order it needs them: one no thread has taken yet it does itself
/// instead of sleeping. A finished job wakes the consumer only when it is the one the consumer
/// waits for.
///
/// Each thread has its own `Context` (its read buffers), made on that thread. With fewer than
/// two threads none is started and ``wait(for:)`` does the job itself, on the calling thread.
final class ReadWorkers<Job: ReadJob, Context>: @unchecked Sendable {
  /// Jobs handed to the threads at once.
  static var handOverBatch: Int { 32 }
  /// Taken jobs' slots at the head of the queue before it is compacted.
  static var compactionThreshold: Int { 1024 }

  /// Guards `queue`, `queueHead` and `stopped`; the threads wait on it for work.
  private let jobs = NSCondition()
  /// Jobs handed over; a thread takes a job out of its slot (so that a done job does not stay
  /// referenced, with the descriptors it holds, until the queue is compacted).
  private var queue: [Job?] = []
  private var queueHead = 0
  private var stopped = false
  /// Guards every job's `done`, and `awaited`.
  private let results = NSCondition()
  private var awaited: Job?
  /// Submitted, not yet handed over (the consumer's own).
  private var unsent: [Job] = []
  private let perform: (Job, Context) -> Void
  private let makeContext: @Sendable () -> Context
  /// The context jobs are done in inline: when no thread was started, or after ``stop()``.
  private var inline: Context?
  /// Whether threads were started (the consumer's own copy of it).
  private let threaded: Bool

  /// Starts `count` threads (none when `count` < 2).
  init(
    count: Int, name: String, makeContext: @escaping @Sendable () -> Context,
    perform: @escaping (Job, Context) -> Void
  ) {
    self.perform = perform
    self.makeContext = makeContext
    threaded = count >= 2
    inline = threaded ? nil : makeContext()
    guard threaded else { return }
    for _ in 0..<count {
      let thread = Thread { [self] in work(makeContext()) }
      thread.name = name
      thread.start()
    }
  }

  /// Puts a job in; it goes to the threads with the next batch.
  func submit(_ job: Job) {
    guard threaded else { return }
    unsent.append(job)
    if unsent.count >= Self.handOverBatch { handOver() }
  }

  /// Returns once `job` (submitted before, or done from the start) is done. A job no thread has
  /// taken yet is done here, on the calling thread, rather than waited for (also after
  /// ``stop()``, which drops them); one a thread took is waited for.
  func wait(for job: Job) {
    if threaded {
      handOver()
      results.lock()
      let finished = job.done
      results.unlock()
      if finished { return }
      jobs.lock()
      let taken = job.started
      job.started = true
      jobs.unlock()
      if taken {
        results.lock()
        awaited = job
        while !job.done { results.wait() }
        awaited = nil
        results.unlock()
        return
      }
    } else if job.done {
      return
    }
    let context = inline ?? makeContext()
    inline = context
    perform(job, context)
    results.lock()
    job.done = true
    results.unlock()
  }

  /// Stops the threads after the jobs they are doing; jobs not started are dropped.
  func stop() {
    unsent.removeAll()
    jobs.lock()
    stopped = true
    queue.removeAll()
    queueHead = 0
    jobs.broadcast()
    jobs.unlock()
  }

  /// Gives the jobs submitted since the last hand-over to the threads.
  func handOver() {
    guard !unsent.isEmpty else { return }
    jobs.lock()
    queue.append(contentsOf: unsent)
    if unsent.count == 1 { jobs.signal() } else { jobs.broadcast() }
    jobs.unlock()
    unsent.removeAll(keepingCapacity: true)
  }

  /// A thread: takes the oldest waiting job, does it, marks it done.
  private func work(_ context: Context) {
    while true {
      jobs.lock()
      while queueHead == queue.count && !stopped { jobs.wait() }
      if stopped {
        jobs.unlock()
        return
      }
      guard let job = queue[queueHead].take() else { preconditionFailure("a job is taken once") }
      queueHead += 1
      if queueHead >= Self.compactionThreshold && queueHead * 2 >= queue.count {
        queue.removeFirst(queueHead)
        queueHead = 0
      }
      let taken = job.started
      job.started = true
      jobs.unlock()
      // The consumer needed it before any thread took it, and did it itself.
      if taken { continue }
      perform(job, context)
      results.lock()
      job.done = true
      if awaited === job { results.signal() }
      results.unlock()
    }
  }
}
