import CyrusStore

/// Pairs the segments of two sides by key and turns them back into two entry streams for
/// ``ManifestDiff``, fetching entries across the wire only where the digests differ.
///
/// Segments with the same key, count and digest hold the same entries, byte for byte, so the
/// side whose entries are local stands in for the other: the diff sees exactly the entries a
/// full transfer would have given it, and reports exactly the same findings. Where keys or
/// digests differ, both sides' entries are taken.
///
/// Memory: the diff asks for one side's next entry while it still holds the other's, so a
/// subtree that only one side has (an extra partition of a million files) would pile up on
/// that side while the pairing looks for the other side's next segment. So a side's queue is
/// never filled past ``queueLimit`` entries for the sake of the other: once it holds that many,
/// the other side's next segment is taken on its own, as if its key had come first (its
/// entries cross the wire even if the same segment comes later on this side; that segment is
/// then taken too, and the diff compares the two entry by entry). The findings stay the same;
/// a side's queue holds at most ``queueLimit`` plus one segment's worth of entries (a segment,
/// or a matched group, which ``GroupCutter`` keeps within 4096 entries), whatever either side sends.
/// The same holds for the seen and subscription records the entries carry: once a queue holds
/// ``StateSummary/queuedItemBytes`` of them, it counts as full.
public final class SegmentPairing {
  /// Entries a side's queue may hold before the other side's next segment is taken alone.
  public static let queueLimit = RemoteLimits.segmentEntries

  private var sides: [PairingSide]
  fileprivate var queues = [EntryQueue(), EntryQueue()]
  /// Groups of segments settled by digest alone, and groups opened (on either side).
  public private(set) var matchedGroups = 0
  public private(set) var groupsOpened = 0
  /// Segments settled by digest alone.
  public private(set) var matchedSegments = 0
  /// Segments whose entries were taken from both sides (or from the only side that has them).
  public private(set) var differingSegments = 0
  /// Segments taken alone because the other side's queue was full.
  public private(set) var segmentsTakenAlone = 0
  /// The most entries either queue held at once.
  public private(set) var peakQueuedEntries = 0

  public init(primary: any SegmentSource, failover: any SegmentSource) {
    sides = [PairingSide(source: primary), PairingSide(source: failover)]
  }

  /// The two entry streams; pass them to ``ManifestDiff/run(primary:failover:progress:)``.
  public func sources() -> (PairedSide, PairedSide) {
    (PairedSide(pairing: self, index: 0), PairedSide(pairing: self, index: 1))
  }

  /// The next entry of side `index`, settling segments until it has one; `nil` at its end.
  fileprivate func next(_ index: Int) throws -> ManifestEntry? {
    let other = 1 - index
    while queues[index].isEmpty {
      try sides[index].loadHead()
      guard let head = sides[index].head else { return nil }
      try sides[other].loadHead()
      guard let otherHead = sides[other].head else {
        try takeAlone(index)
        continue
      }
      let order = SegmentItem.compareKeys(head, otherHead)
      if order == 0 {
        switch (head, otherHead) {
        case (.segment, .segment): try settlePair()
        case (.group(let mine), .group(let theirs)) where mine.matches(theirs):
          try settleGroups()
        default:
          // Groups that differ, or a group against a segment: compared segment by segment.
          if case .group = head { try openGroup(index) }
          if case .group = otherHead { try openGroup(other) }
        }
      } else if order < 0 {
        try takeAlone(index)
      } else if queues[other].count < Self.queueLimit,
        queues[other].stateBytes < StateSummary.queuedItemBytes
      {
        try takeAlone(other)
      } else {
        // A group there is opened first; the count is of segments taken out of turn.
        if case .segment = head { segmentsTakenAlone += 1 }
        try takeAlone(index)
      }
    }
    return queues[index].removeFirst()
  }

  /// Takes the head of side `index` alone: a segment's entries are needed whatever the other
  /// side holds; a group is opened, as the other side may hold some of its segments further on.
  private func takeAlone(_ index: Int) throws {
    if case .group = sides[index].head { return try openGroup(index) }
    differingSegments += 1
    sides[index].head = nil
    enqueue(try sides[index].source.take(wanted: true) ?? [], on: index)
  }

  private func openGroup(_ index: Int) throws {
    groupsOpened += 1
    sides[index].head = nil
    try sides[index].source.openGroup()
  }

  /// Settles two head groups with the same key, counts and digest: the same segments, taken
  /// from the side whose entries are local (or the primary's, when neither is).
  private func settleGroups() throws {
    sides[0].head = nil
    sides[1].head = nil
    matchedGroups += 1
    let primary = sides[0].source
    let failover = sides[1].source
    let fromPrimary = primary.entriesAreLocal || !failover.entriesAreLocal
    let entries = try (fromPrimary ? primary : failover).takeGroup(wanted: true) ?? []
    _ = try (fromPrimary ? failover : primary).takeGroup(wanted: false)
    enqueue(entries, on: 0)
    enqueue(entries, on: 1)
  }

  /// Settles two head segments with the same key: by digest when they match, else both taken.
  private func settlePair() throws {
    guard case .segment(let p) = sides[0].head, case .segment(let f) = sides[1].head else {
      preconditionFailure("a pair is settled with both heads loaded")
    }
    sides[0].head = nil
    sides[1].head = nil
    let primary = sides[0].source
    let failover = sides[1].source
    if p.count == f.count && p.digest == f.digest {
      matchedSegments += 1
      let fromPrimary = primary.entriesAreLocal || !failover.entriesAreLocal
      let entries = try (fromPrimary ? primary : failover).take(wanted: true) ?? []
      _ = try (fromPrimary ? failover : primary).take(wanted: false)
      enqueue(entries, on: 0)
      enqueue(entries, on: 1)
    } else {
      differingSegments += 1
      enqueue(try primary.take(wanted: true) ?? [], on: 0)
      enqueue(try failover.take(wanted: true) ?? [], on: 1)
    }
  }

  private func enqueue(_ entries: [ManifestEntry], on index: Int) {
    queues[index].append(entries)
    peakQueuedEntries = max(peakQueuedEntries, queues[index].count)
  }
}

/// One side of a pairing: its source and its next item, once read.
private struct PairingSide {
  let source: any SegmentSource
  var head: SegmentItem?
  var done = false

  init(source: any SegmentSource) {
    self.source = source
  }

  /// Reads the next item unless one is waiting or the side is done.
  mutating func loadHead() throws {
    guard head == nil && !done else { return }
    head = try source.nextItem()
    done = head == nil
  }
}

/// One side of a ``SegmentPairing`` as a ``ManifestSource``.
public struct PairedSide: ManifestSource {
  fileprivate let pairing: SegmentPairing
  fileprivate let index: Int

  public mutating func next() throws -> ManifestEntry? {
    try pairing.next(index)
  }
}

/// Entries waiting for the diff, oldest first.
struct EntryQueue {
  private var items: [ManifestEntry] = []
  private var head = 0

  var isEmpty: Bool { head == items.count }
  /// Entries waiting.
  var count: Int { items.count - head }
  /// Bytes of state records (``StateSummary/heldBytes``) of the entries waiting.
  private(set) var stateBytes = 0

  mutating func append(_ entries: [ManifestEntry]) {
    for entry in entries { stateBytes += entry.heldStateBytes }
    if head == items.count {
      items = entries
      head = 0
    } else {
      items.removeFirst(head)
      head = 0
      items += entries
    }
  }

  mutating func removeFirst() -> ManifestEntry {
    precondition(head < items.count, "removeFirst on a non-empty queue")
    defer { head += 1 }
    stateBytes -= items[head].heldStateBytes
    return items[head]
  }
}
