import CyrusStore
import Testing
import Verification

@testable import Remote

/// A subtree only one side has (an extra partition of many files) must not be queued whole
/// while the pairing looks for the other side's next segment: that is what made a remote
/// verify grow with the subtree where a local one does not (issue 13).
@Suite struct SegmentPairingMemoryTests {
  /// Entries in the one-sided area: about 50 segments of the largest size.
  static let oneSided = 200_000

  /// Entries of `area`: its root, then `count` files (`f0000000`, …) of `size` bytes each,
  /// made as they are read.
  struct GeneratedArea: ManifestSource {
    let area: String
    let count: Int
    let size: UInt64
    /// Seen records each file carries (one shared array, so the test itself stays small).
    let state: StateSummary?
    private var index = -1

    init(_ area: String, count: Int, size: UInt64, state: StateSummary? = nil) {
      self.area = area
      self.count = count
      self.size = size
      self.state = state
    }

    mutating func next() throws -> ManifestEntry? {
      defer { index += 1 }
      if index < 0 { return ManifestEntry(area: area, path: .root, kind: .directory) }
      guard index < count else { return nil }
      let name = "f" + String(repeating: "0", count: 7 - String(index).count) + String(index)
      var entry = ManifestEntry(area: area, path: EntryPath(name), kind: .file, size: size)
      entry.stateSummary = state
      return entry
    }
  }

  /// Several areas one after the other.
  struct Areas: ManifestSource {
    var areas: [GeneratedArea]
    mutating func next() throws -> ManifestEntry? {
      while !areas.isEmpty {
        if let entry = try areas[0].next() { return entry }
        areas.removeFirst()
      }
      return nil
    }
  }

  /// Counts the entries a source hands out.
  final class CountingSegments: SegmentSource {
    let base: any SegmentSource
    var taken = 0
    var takenStateBytes = 0
    init(_ base: any SegmentSource) { self.base = base }
    var entriesAreLocal: Bool { false }
    func nextItem() throws -> SegmentItem? { try base.nextItem() }
    func openGroup() throws { try base.openGroup() }
    func takeGroup(wanted: Bool) throws -> [ManifestEntry]? {
      let entries = try base.takeGroup(wanted: wanted)
      count(entries)
      return entries
    }
    func take(wanted: Bool) throws -> [ManifestEntry]? {
      let entries = try base.take(wanted: wanted)
      count(entries)
      return entries
    }
    private func count(_ entries: [ManifestEntry]?) {
      taken += entries?.count ?? 0
      for entry in entries ?? [] { takenStateBytes += entry.stateSummary?.heldBytes ?? 0 }
    }
  }

  /// A side as the diff reads it, recording how many entries the pairing held for this side
  /// (taken from its source, not yet read by the diff) after each read.
  struct Measured: ManifestSource {
    var side: PairedSide
    let source: CountingSegments
    let peak: Peak
    var returned = 0
    var returnedStateBytes = 0
    mutating func next() throws -> ManifestEntry? {
      let entry = try side.next()
      if let entry {
        returned += 1
        returnedStateBytes += entry.stateSummary?.heldBytes ?? 0
      }
      peak.value = max(peak.value, source.taken - returned)
      peak.stateBytes = max(peak.stateBytes, source.takenStateBytes - returnedStateBytes)
      return entry
    }
  }

  final class Peak {
    var value = 0
    var stateBytes = 0
  }

  /// Runs the diff over a pairing of `primary` and `failover` and directly, and returns both
  /// sets of findings and the most entries held for one side at once.
  func run(_ primary: [GeneratedArea], _ failover: [GeneratedArea]) throws -> (
    direct: [String], paired: [String], peak: Int, peakStateBytes: Int
  ) {
    let direct = Findings()
    var left = Areas(areas: primary)
    var right = Areas(areas: failover)
    try ManifestDiff(sink: direct).run(primary: &left, failover: &right)
    let sources = (
      CountingSegments(LocalSegments(Areas(areas: primary), grouped: true)),
      CountingSegments(LocalSegments(Areas(areas: failover), grouped: true))
    )
    let pairing = SegmentPairing(primary: sources.0, failover: sources.1)
    let (p, f) = pairing.sources()
    let peak = Peak()
    var measuredLeft = Measured(side: p, source: sources.0, peak: peak)
    var measuredRight = Measured(side: f, source: sources.1, peak: peak)
    let paired = Findings()
    try ManifestDiff(sink: paired).run(primary: &measuredLeft, failover: &measuredRight)
    return (direct.lines, paired.lines, peak.value, peak.stateBytes)
  }

  /// The most a side's queue may hold: the limit, plus the segment that crossed it.
  static let bound = SegmentPairing.queueLimit + RemoteLimits.segmentEntries

  // Every area differs (sizes 1 and 2), so no segment is settled by digest and every entry the
  // pairing holds is one the diff has not read yet.

  @Test func extraAreaOnTheFailoverIsNotQueuedWhole() throws {
    let result = try run(
      [GeneratedArea("a", count: 10, size: 1), GeneratedArea("c", count: 10, size: 1)],
      [
        GeneratedArea("a", count: 10, size: 2), GeneratedArea("b", count: Self.oneSided, size: 2),
        GeneratedArea("c", count: 10, size: 2),
      ])
    #expect(result.paired == result.direct)
    #expect(result.direct.contains("directory.extra b:."))
    #expect(result.peak <= Self.bound, "held \(result.peak) entries at once")
  }

  @Test func extraAreaOnThePrimaryIsNotQueuedWhole() throws {
    let result = try run(
      [
        GeneratedArea("a", count: 10, size: 1), GeneratedArea("b", count: Self.oneSided, size: 1),
        GeneratedArea("c", count: 10, size: 1),
      ],
      [GeneratedArea("a", count: 10, size: 2), GeneratedArea("c", count: 10, size: 2)])
    #expect(result.paired == result.direct)
    #expect(result.direct.contains("directory.missing b:."))
    #expect(result.peak <= Self.bound, "held \(result.peak) entries at once")
  }

  /// The one-sided area comes last: the side without it is done, and the other side is read
  /// one segment at a time, never queued ahead.
  @Test func extraAreaAtTheEndIsNotQueuedWhole() throws {
    let result = try run(
      [GeneratedArea("a", count: 10, size: 1)],
      [GeneratedArea("a", count: 10, size: 2), GeneratedArea("z", count: Self.oneSided, size: 2)])
    #expect(result.paired == result.direct)
    #expect(result.peak <= Self.bound, "held \(result.peak) entries at once")
  }

  /// Entries that carry large seen state (a run of users with many mailboxes each) are held by
  /// their bytes, not only by their count: 200 entries of 256 KiB of records each (50 MiB) on
  /// one side only must not be queued whole, though they are far fewer than the entry limit.
  @Test func extraAreaOfLargeSeenStateIsNotQueuedWhole() throws {
    let value = String(repeating: "1:", count: 16 << 10)  // 32 KiB
    let items = (0..<8).map { StateItem(key: Array("uniqueid-\($0)".utf8), value: value) }
    let state = StateSummary(
      kind: .seen, records: UInt32(items.count), digest: "0011223344556677", problem: nil,
      items: items)
    let result = try run(
      [GeneratedArea("a", count: 10, size: 1), GeneratedArea("c", count: 10, size: 1)],
      [
        GeneratedArea("a", count: 10, size: 2),
        GeneratedArea("b", count: 200, size: 2, state: state),
        GeneratedArea("c", count: 10, size: 2),
      ])
    #expect(result.paired == result.direct)
    #expect(result.direct.contains("directory.extra b:."))
    // The limit, plus the segment that crossed it (a segment is cut after 1 MiB encoded).
    let bound = StateSummary.queuedItemBytes + RemoteLimits.segmentBytes + state.heldBytes
    #expect(
      result.peakStateBytes <= bound, "held \(result.peakStateBytes) bytes of state at once")
  }
}
