import CyrusStore

/// Pairs the segments of two sides by key and turns them back into two entry streams for
/// ``ManifestDiff``, fetching entries across the wire only where the digests differ.
///
/// Segments with the same key, count and digest hold the same entries, byte for byte, so the
/// side whose entries are local stands in for the other: the diff sees exactly the entries a
/// full transfer would have given it, and reports exactly the same findings. Where keys or
/// digests differ, both sides' entries are taken. Memory: one segment per side, plus what the
/// diff has not consumed yet of the last segments taken (bounded by ``RemoteLimits``).
public final class SegmentPairing {
  private let primary: any SegmentSource
  private let failover: any SegmentSource
  private var primaryHead: SegmentSummary?
  private var failoverHead: SegmentSummary?
  private var primaryDone = false
  private var failoverDone = false
  fileprivate var queues = [EntryQueue(), EntryQueue()]
  /// Segments settled by digest alone.
  public private(set) var matchedSegments = 0
  /// Segments whose entries were taken from both sides (or from the only side that has them).
  public private(set) var differingSegments = 0

  public init(primary: any SegmentSource, failover: any SegmentSource) {
    self.primary = primary
    self.failover = failover
  }

  /// The two entry streams; pass them to ``ManifestDiff/run(primary:failover:progress:)``.
  public func sources() -> (PairedSide, PairedSide) {
    (PairedSide(pairing: self, index: 0), PairedSide(pairing: self, index: 1))
  }

  /// Settles the next segment (or pair); `false` when both sides are done.
  fileprivate func advance() throws -> Bool {
    if primaryHead == nil && !primaryDone {
      primaryHead = try primary.nextSummary()
      primaryDone = primaryHead == nil
    }
    if failoverHead == nil && !failoverDone {
      failoverHead = try failover.nextSummary()
      failoverDone = failoverHead == nil
    }
    let order: Int
    if let p = primaryHead, let f = failoverHead {
      order = SegmentSummary.compareKeys(p, f)
    } else if primaryHead == nil && failoverHead == nil {
      return false
    } else {
      order = primaryHead == nil ? 1 : -1
    }
    if order == 0, let p = primaryHead, let f = failoverHead {
      primaryHead = nil
      failoverHead = nil
      if p.count == f.count && p.digest == f.digest {
        matchedSegments += 1
        let fromPrimary = primary.entriesAreLocal || !failover.entriesAreLocal
        let entries = try (fromPrimary ? primary : failover).take(wanted: true) ?? []
        _ = try (fromPrimary ? failover : primary).take(wanted: false)
        queues[0].append(entries)
        queues[1].append(entries)
      } else {
        differingSegments += 1
        queues[0].append(try primary.take(wanted: true) ?? [])
        queues[1].append(try failover.take(wanted: true) ?? [])
      }
    } else if order < 0 {
      differingSegments += 1
      primaryHead = nil
      queues[0].append(try primary.take(wanted: true) ?? [])
    } else {
      differingSegments += 1
      failoverHead = nil
      queues[1].append(try failover.take(wanted: true) ?? [])
    }
    return true
  }
}

/// One side of a ``SegmentPairing`` as a ``ManifestSource``.
public struct PairedSide: ManifestSource {
  fileprivate let pairing: SegmentPairing
  fileprivate let index: Int

  public mutating func next() throws -> ManifestEntry? {
    while pairing.queues[index].isEmpty {
      guard try pairing.advance() else { return nil }
    }
    return pairing.queues[index].removeFirst()
  }
}

/// Entries waiting for the diff, oldest first.
struct EntryQueue {
  private var items: [ManifestEntry] = []
  private var head = 0

  var isEmpty: Bool { head == items.count }

  mutating func append(_ entries: [ManifestEntry]) {
    if head == items.count {
      items = entries
      head = 0
    } else {
      items += entries
    }
  }

  mutating func removeFirst() -> ManifestEntry {
    precondition(head < items.count, "removeFirst on a non-empty queue")
    defer { head += 1 }
    return items[head]
  }
}
