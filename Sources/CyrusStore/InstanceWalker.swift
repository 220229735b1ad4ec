/// Walks every area of a ``CyrusInstance`` in canonical order (areas by name, then paths), as
/// one ``ManifestSource``.
public final class InstanceWalker: ManifestSource, @unchecked Sendable {
  private var pending: [TreeWalker]
  private let state: WalkState
  /// How many entries were yielded so far (for progress lines).
  public private(set) var entriesSeen = 0
  /// How many content bytes were yielded so far (file sizes).
  public private(set) var bytesSeen: UInt64 = 0

  /// Prepares a walk; nothing is read until ``next()``.
  public init(instance: CyrusInstance, options: WalkOptions) {
    let state = WalkState(options: options)
    let naming = SpoolNaming(hashed: instance.hashImapSpool)
    self.state = state
    pending = instance.areas.map {
      TreeWalker(area: $0, options: options, naming: naming, shared: state)
    }
  }

  /// The next entry in canonical order.
  public func next() -> ManifestEntry? {
    while let walker = pending.first {
      if let entry = walker.next() {
        entriesSeen += 1
        if entry.kind == .file { bytesSeen += entry.size }
        return entry
      }
      pending.removeFirst()
    }
    return nil
  }
}
