/// Walks every area of a ``CyrusInstance`` in canonical order (areas by name, then paths), as
/// one ``ManifestSource``.
///
/// The walk itself (listing, `fstatat`, the mailbox index checks) runs on the calling thread.
/// File contents are read there too with ``WalkOptions/hashJobs`` 1; with more, a
/// ``HashWindow`` reads them on that many threads while the walk goes on, and the entries still
/// come out in canonical order.
public final class InstanceWalker: ManifestSource, @unchecked Sendable {
  private var pending: [TreeWalker]
  private let state: WalkState
  private let window: HashWindow?
  private let cache: DigestCache?
  /// How many entries were yielded so far (for progress lines).
  public private(set) var entriesSeen = 0
  /// How many content bytes were yielded so far (file sizes); stays at `UInt64.max` once the
  /// sizes add up to more (sparse files may each claim 2^63−1 bytes).
  public private(set) var bytesSeen: UInt64 = 0

  /// Prepares a walk; nothing is read until ``next()``.
  public init(instance: CyrusInstance, options: WalkOptions) {
    let state = WalkState(options: options)
    let naming = SpoolNaming(hashed: instance.hashImapSpool)
    self.state = state
    let areas = instance.areas
    pending = areas.map {
      TreeWalker(
        area: $0, options: options, naming: naming, shared: state,
        companion: Self.companion(of: $0, in: areas))
    }
    window =
      options.level == .meta || options.hashJobs < 2
      ? nil : HashWindow(jobs: options.hashJobs, options: options)
    cache = options.cache.map { DigestCache(settings: $0, instance: instance) }
  }

  /// What the digest cache did (`nil` without one); complete once the walk is.
  public var cacheStatistics: DigestCacheStatistics? { cache?.statistics }

  /// Files and bytes of the previous walk that wrote the digest cache, when known: an estimate
  /// of this walk's, for progress.
  public var previousTotals: (files: UInt64, bytes: UInt64)? { cache?.previousTotals }

  deinit { window?.stop() }

  /// A metapartition's partition, or a partition's metapartition, of the same name.
  static func companion(of area: StoreArea, in areas: [StoreArea]) -> CompanionDirectory? {
    let other: String
    switch area.role {
    case .partition: other = "meta" + area.name
    case .metapartition: other = String(area.name.dropFirst("meta".count))
    default: return nil
    }
    return areas.first { $0.name == other }.map {
      CompanionDirectory(root: $0.path, instanceRoot: $0.root)
    }
  }

  /// The next entry in canonical order.
  public func next() -> ManifestEntry? {
    guard let window else {
      guard var step = nextStep() else {
        cache?.commit()
        return nil
      }
      let result = step.read.map { state.hasher.hash($0) }
      return finish(&step, with: result)
    }
    while window.hasRoom, var step = nextStep() {
      // Nothing before it is still being read, and it has nothing to read: no need to queue.
      if step.read == nil && window.isEmpty { return finish(&step, with: nil) }
      window.submit(consume step)
    }
    guard let entry = window.takeFirst({ step, result in finish(&step, with: result) }) else {
      window.stop()
      cache?.commit()
      return nil
    }
    return entry
  }

  /// The next entry in canonical order without its content read, and the read still to do
  /// (``SameHostPairing``, which reads both sides' files together). Only for a walk at `full`
  /// without a window or a digest cache: the entry is otherwise finished, its digest or problem
  /// is what the read will give.
  func nextUnread() -> UnreadWalk.Unread? {
    precondition(window == nil && cache == nil, "an unread walk has no window and no cache")
    guard var step = nextStep() else { return nil }
    // Moved out, not copied: a step finished with no result does not look at its read.
    let read = step.read.take()
    return UnreadWalk.Unread(entry: finish(&step, with: nil), read: read)
  }

  /// The next step of the walk, area after area.
  private func nextStep() -> WalkStep? {
    while let walker = pending.first {
      if var step = walker.next() {
        cache?.resolve(&step)
        return step
      }
      pending.removeFirst()
    }
    return nil
  }

  /// Completes `step` with the read's `result` and counts it. Its entry is moved out into the
  /// result, not copied (the rest of the step is left to be dropped).
  private func finish(
    _ step: inout WalkStep, with result: Result<[UInt8], EntryProblem>?
  ) -> ManifestEntry {
    let cacheState = step.cache
    let entry = step.takeFinished(with: result)
    cache?.record(entry, cacheState)
    entriesSeen += 1
    if entry.kind == .file { bytesSeen = bytesSeen.addingSaturated(entry.size) }
    return entry
  }
}
