/// Both sides of a `--level full` verify on this host (a backup directory, CI fixtures), walked
/// and read together: a file both sides have, of the same size, is compared byte for byte
/// (``ContentComparer``) instead of being hashed twice, and gets no digest when the bytes are
/// the same. Files that differ, that only one side has, or that cannot be compared are hashed
/// on their own, so the diff sees exactly what two hashing walks would give it where it matters
/// (two different digests for a content mismatch, each side's problem) and reports the same
/// findings. A walk with a digest cache hashes every file (the cache records digests), so
/// this is only for `full` without one (``applies(to:)``).
///
/// Each walk runs on its own thread (``UnreadWalk``), the reads on twice
/// ``WalkOptions/hashJobs`` threads (what the two walks would have), up to
/// ``lookaheadEntries`` entries (``lookaheadBytes`` bytes, ``directoryLimit`` runs of files of
/// one directory per side) ahead of the diff. The entries come out as two streams in canonical
/// order (``sources()``), for ``ManifestDiff``'s merge-join.
///
/// Memory: the diff asks for one side's next entry while it holds the other's, so a subtree
/// only one side has would pile up on the other side while the pairing looks for the next
/// entry of the side asked for. So a side's queue is not filled past ``queueLimit`` entries
/// (or ``directoryLimit`` directories) for the sake of the other: the asking side's next entry
/// is then taken alone, as if its path had come first, and hashed; if the other side has the
/// same path further on, that file is hashed too, and the diff compares the two digests.
public final class SameHostPairing: @unchecked Sendable {
  /// Entries a side's queue may hold before the other side's next entry is taken alone.
  public static let queueLimit = 4096
  /// Entries taken ahead of the diff, so that the reading threads have work.
  public static let lookaheadEntries = 1024
  /// Bytes of file content (sizes) taken ahead of the diff; a larger file still goes alone.
  public static let lookaheadBytes: UInt64 = 64 << 20
  /// Runs of reads from one directory a side's queue may hold: each keeps its directory open.
  public static let directoryLimit = 64

  /// An entry waiting to be given out, and the read it waits for. Its job is spelled
  /// `Optional<PairedRead>` for the reason ``ManifestEntry`` gives (a `PairedRead?` property
  /// makes the initializer copy the whole item, entry and all).
  private struct Queued {
    var entry: ManifestEntry
    // swift-format-ignore: UseShorthandTypeNames
    var job: Optional<PairedRead>
    var bytes: UInt64
    var startsRun: Bool
  }

  /// Where a side's last entry from its walk was, for the order check: only what the order is
  /// decided by, so that the entry itself moves on uncopied.
  private struct Place {
    var area: String
    var path: EntryPath
  }

  private let walks: [UnreadWalk]
  private let workers: ReadWorkers<PairedRead, ContentComparer>
  /// Each side's next entry, not yet queued, when ``loaded`` says so; else an empty one. Not
  /// optionals: an entry is compared where it lies, and its fields are moved out of it, where
  /// one bound out of an optional would be copied whole.
  private var heads = [UnreadWalk.Unread.empty, UnreadWalk.Unread.empty]
  /// Whether each side's head holds its next entry.
  private var loaded = [false, false]
  private var ended = [false, false]
  /// Where each side's last entry from its walk was, for the order check.
  private var last: [Place?] = [nil, nil]
  /// Each side's queue; an entry given out is taken out of its slot at once, so that it does
  /// not hold its directory open until the queue is compacted.
  private var queues: [[Queued?]] = [[], []]
  private var queueHeads = [0, 0]
  private var queuedBytes: UInt64 = 0
  private var runs = [0, 0]
  /// Bytes of state records (``ManifestEntry/heldStateBytes``) in each side's queue.
  private var stateBytes = [0, 0]
  private var lastDirectory: [DirectoryListing?] = [nil, nil]
  private var stopped = false
  /// What was compared and what was hashed so far.
  public private(set) var statistics = SameHostStatistics()

  /// Whether a walk with `options` may read both sides together: `full`, no digest cache.
  public static func applies(to options: WalkOptions) -> Bool {
    options.level == .full && options.cache == nil
  }

  /// Starts both walks on their threads; their files are read once entries are asked for.
  public init(primary: CyrusInstance, failover: CyrusInstance, options: WalkOptions) {
    precondition(Self.applies(to: options), "same-host pairing is for full walks without a cache")
    var walk = options
    walk.hashJobs = 1
    walks = [
      UnreadWalk(InstanceWalker(instance: primary, options: walk)),
      UnreadWalk(InstanceWalker(instance: failover, options: walk)),
    ]
    let bufferSize = options.readBufferSize
    let hook = options.beforeHashing
    // As many reads in flight as two walks of `hashJobs` threads each would have (a cold disk
    // wants them); 1 still reads one file after the other, on the asking thread.
    workers = ReadWorkers(
      count: options.hashJobs == 1 ? 1 : 2 * options.hashJobs, name: "cyrus-failover compare",
      makeContext: { ContentComparer(bufferSize: bufferSize, beforeOpening: hook) },
      perform: { job, comparer in job.perform(comparer) })
  }

  deinit { stop() }

  /// The primary's and the failover's entries; pass them to ``ManifestDiff``.
  public func sources() -> (primary: SameHostSide, failover: SameHostSide) {
    (SameHostSide(pairing: self, index: 0), SameHostSide(pairing: self, index: 1))
  }

  /// Stops the walks and the reading threads (reads not started are dropped); no entry may be
  /// asked for after.
  public func stop() {
    stopped = true
    workers.stop()
    walks.forEach { $0.cancel() }
  }

  /// The next entry of side `index`, read or compared; `nil` at its end.
  /// - Throws: ``CyrusStoreError`` when a walk gives an entry out of canonical order.
  func next(_ index: Int) throws -> ManifestEntry? {
    precondition(!stopped, "a stopped pairing would end both sides early")
    try lookAhead()
    guard try fill(index) else { return nil }
    guard var item = queues[index][queueHeads[index]].take() else {
      preconditionFailure("a queued entry is given out once")
    }
    queueHeads[index] += 1
    if queueHeads[index] >= Self.lookaheadEntries && queueHeads[index] * 2 >= queues[index].count {
      queues[index].removeFirst(queueHeads[index])
      queueHeads[index] = 0
    }
    queuedBytes -= min(queuedBytes, item.bytes)
    if item.startsRun { runs[index] -= 1 }
    stateBytes[index] -= item.entry.heldStateBytes
    // Completed in place and moved out: an entry completed in a local is copied on return.
    guard let job = item.job else { return ManifestEntry.take(&item.entry) }
    workers.wait(for: job)
    count(job, side: index, size: item.entry.size)
    switch job.result(forSide: index) {
    case .success(let digest)?: item.entry.digest = digest
    case .failure(let problem)?: item.entry.problem = problem
    case nil: break
    }
    return ManifestEntry.take(&item.entry)
  }

  private func queued(_ index: Int) -> Int { queues[index].count - queueHeads[index] }

  /// Takes entries ahead of the diff, in merged order, while the limits leave room.
  private func lookAhead() throws {
    while queued(0) + queued(1) < Self.lookaheadEntries, queuedBytes < Self.lookaheadBytes,
      runs[0] < Self.directoryLimit, runs[1] < Self.directoryLimit,
      stateBytes[0] + stateBytes[1] < UnreadWalk.queueStateBytes
    {
      try load(0)
      try load(1)
      switch (loaded[0], loaded[1]) {
      case (false, false): return
      case (true, false): take(0)
      case (false, true): take(1)
      case (true, true):
        let order = headOrder(0, 1)
        if order == 0 { takeBoth() } else { take(order < 0 ? 0 : 1) }
      }
    }
    workers.handOver()
  }

  /// Takes entries until side `index` has one queued; `false` at its end.
  private func fill(_ index: Int) throws -> Bool {
    let other = 1 - index
    while queued(index) == 0 {
      try load(index)
      guard loaded[index] else { return false }
      try load(other)
      guard loaded[other] else {
        take(index)
        continue
      }
      let order = headOrder(index, other)
      if order == 0 {
        takeBoth()
      } else if order < 0 {
        take(index)
      } else if queued(other) < Self.queueLimit && runs[other] < Self.directoryLimit
        && stateBytes[other] < UnreadWalk.queueStateBytes
      {
        take(other)
      } else {
        statistics.takenOutOfTurn += 1
        take(index)
      }
    }
    return true
  }

  /// Loads side `index`'s next entry from its walk, if it has none loaded.
  private func load(_ index: Int) throws {
    guard !loaded[index], !ended[index] else { return }
    guard let next = walks[index].next() else {
      ended[index] = true
      return
    }
    if let previous = last[index],
      ManifestEntry.canonicalCompare(
        area: previous.area, path: previous.path, area: next.entry.area, path: next.entry.path)
        >= 0
    {
      let before = ManifestEntry.location(area: previous.area, path: previous.path)
      throw CyrusStoreError(
        .system, path: "\(index == 0 ? "primary" : "failover") \(next.entry.location)",
        detail: "the walk gave this entry after \(before), out of canonical order")
    }
    last[index] = Place(area: next.entry.area, path: next.entry.path)
    heads[index] = consume next
    loaded[index] = true
  }

  /// The canonical order of side `index`'s loaded entry against side `other`'s (-1, 0 or 1),
  /// compared where they lie.
  private func headOrder(_ index: Int, _ other: Int) -> Int {
    precondition(loaded[index] && loaded[other], "heads are compared once both are loaded")
    return ManifestEntry.canonicalCompare(heads[index].entry, heads[other].entry)
  }

  /// Queues side `index`'s loaded entry alone, with its file's hash if it has a read. The
  /// entry and its read are moved out of the head (a value bound out of an optional is a copy,
  /// one taken out with ``Optional/take()`` is not).
  private func take(_ index: Int) {
    guard loaded[index] else { return }
    loaded[index] = false
    // `heads[index].read?.directory` would copy the whole head: the read is taken out first.
    var directory: DirectoryListing?
    var job: PairedRead?
    if let read = heads[index].read.take() {
      directory = read.directory
      job = PairedRead(.hash(consume read))
    }
    enqueue(ManifestEntry.take(&heads[index].entry), directory: directory, job: job, on: index)
  }

  /// Queues both loaded entries (the same path): one comparison for two files of the same
  /// size, else each side's own read. Compared in place, then moved out of their heads.
  private func takeBoth() {
    precondition(loaded[0] && loaded[1], "both sides have an entry loaded")
    // Both reads are taken out only once both are known to be there.
    guard heads[0].read != nil, heads[1].read != nil, heads[0].entry.kind == .file,
      heads[1].entry.kind == .file, heads[0].entry.size == heads[1].entry.size,
      let left = heads[0].read.take(), let right = heads[1].read.take()
    else {
      take(0)
      take(1)
      return
    }
    loaded[0] = false
    loaded[1] = false
    let primaryDirectory = left.directory
    let failoverDirectory = right.directory
    // Consumed: a value bound out of an optional is otherwise copied into the job.
    let job = PairedRead(.compare(primary: consume left, failover: consume right))
    enqueue(ManifestEntry.take(&heads[0].entry), directory: primaryDirectory, job: job, on: 0)
    enqueue(
      ManifestEntry.take(&heads[1].entry), directory: failoverDirectory, job: job, on: 1,
      submitted: true)
  }

  /// Queues an entry on side `index`, its read's job submitted unless it was already (a
  /// comparison is one job for both sides); `directory` is the read's directory, `nil` when
  /// the entry has nothing to read.
  private func enqueue(
    _ entry: consuming ManifestEntry, directory: DirectoryListing?, job: PairedRead?,
    on index: Int, submitted: Bool = false
  ) {
    let startsRun = directory != nil && directory !== lastDirectory[index]
    if let directory { lastDirectory[index] = directory }
    if startsRun { runs[index] += 1 }
    let bytes = directory == nil ? 0 : entry.size
    queuedBytes = queuedBytes.addingSaturated(bytes)
    stateBytes[index] += entry.heldStateBytes
    queues[index].append(Queued(entry: entry, job: job, bytes: bytes, startsRun: startsRun))
    statistics.peakQueuedEntries = max(statistics.peakQueuedEntries, queued(index))
    if let job, !submitted { workers.submit(job) }
  }

  /// Counts a finished read as its side's entry is given out (a comparison once, on the
  /// primary's side).
  private func count(_ job: PairedRead, side: Int, size: UInt64) {
    switch job.outcome {
    case .same?:
      if side == 0 {
        statistics.filesCompared += 1
        statistics.bytesCompared = statistics.bytesCompared.addingSaturated(size)
      }
    case .separate(_, _, let differed)?:
      if side == 0 { statistics.filesCompared += 1 }
      if differed && side == 0 { statistics.filesDiffering += 1 }
      statistics.filesHashed += 1
    case nil:
      statistics.filesHashed += 1
    }
  }
}
