import Foundation

/// A job for ``ReadWorkers``: done once, by one reading thread (or inline by the thread that
/// waits for it).
protocol ReadJob: AnyObject {
  /// Whether the job has been done; set by ``ReadWorkers`` only, under its lock.
  var done: Bool { get set }
}

/// Threads that read file contents for one consumer: jobs go in with ``submit(_:)``, handed to
/// the threads in batches so that a thread is not woken per file, and the consumer
/// ``wait(for:)``s each in the order it needs them. A finished job wakes the consumer only when
/// it is the one the consumer waits for.
///
/// Each thread has its own `Context` (its read buffers), made on that thread. With fewer than
/// two threads none is started and ``wait(for:)`` does the job itself, on the calling thread.
final class ReadWorkers<Job: ReadJob, Context>: @unchecked Sendable {
  /// Jobs handed to the threads at once.
  static var handOverBatch: Int { 32 }

  /// Guards `queue`, `queueHead` and `stopped`; the threads wait on it for work.
  private let jobs = NSCondition()
  private var queue: [Job] = []
  private var queueHead = 0
  private var stopped = false
  /// Guards every job's `done`, and `awaited`.
  private let results = NSCondition()
  private var awaited: Job?
  /// Submitted, not yet handed over (the consumer's own).
  private var unsent: [Job] = []
  private let perform: (Job, Context) -> Void
  /// The context jobs are done in inline, when no thread was started.
  private let inline: Context?

  /// Starts `count` threads (none when `count` < 2).
  init(
    count: Int, name: String, makeContext: @escaping @Sendable () -> Context,
    perform: @escaping (Job, Context) -> Void
  ) {
    self.perform = perform
    inline = count < 2 ? makeContext() : nil
    guard count >= 2 else { return }
    for _ in 0..<count {
      let thread = Thread { [self] in work(makeContext()) }
      thread.name = name
      thread.start()
    }
  }

  /// Puts a job in; it goes to the threads with the next batch.
  func submit(_ job: Job) {
    guard inline == nil else { return }
    unsent.append(job)
    if unsent.count >= Self.handOverBatch { handOver() }
  }

  /// Returns once `job` (submitted before) is done.
  func wait(for job: Job) {
    if let inline {
      if !job.done {
        perform(job, inline)
        job.done = true
      }
      return
    }
    handOver()
    results.lock()
    if !job.done {
      awaited = job
      while !job.done { results.wait() }
      awaited = nil
    }
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
      let job = queue[queueHead]
      queueHead += 1
      if queueHead >= 1024 && queueHead * 2 >= queue.count {
        queue.removeFirst(queueHead)
        queueHead = 0
      }
      jobs.unlock()
      perform(job, context)
      results.lock()
      job.done = true
      if awaited === job { results.signal() }
      results.unlock()
    }
  }
}
