import CyrusStore
import Foundation
import Testing

@testable import Verification

/// The walk runs ahead of the diff by a bounded amount, counted in entries and in the seen and
/// subscription records those entries carry.
@Suite struct PrefetchingSourceTests {
  /// Entries of 256 KiB of seen records each (one shared array, so the test stays small).
  static let state: StateSummary = {
    let value = String(repeating: "1:", count: 16 << 10)  // 32 KiB
    let items = (0..<8).map { StateItem(key: Array("uniqueid-\($0)".utf8), value: value) }
    return StateSummary(
      kind: .seen, records: UInt32(items.count), digest: "0011223344556677", problem: nil,
      items: items)
  }()

  /// How many entries the source has handed to the prefetching thread.
  final class Produced: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() { lock.withLock { value += 1 } }
    var count: Int { lock.withLock { value } }
  }

  /// `count` state files `u0000`, `u0001`, …, counting each as it is read.
  struct StateFiles: ManifestSource {
    let count: Int
    let produced: Produced
    var index = 0
    mutating func next() throws -> ManifestEntry? {
      guard index < count else { return nil }
      defer { index += 1 }
      produced.increment()
      let name = "u" + String(repeating: "0", count: 4 - String(index).count) + String(index)
      var entry = ManifestEntry(area: "config", path: EntryPath(name), kind: .file, size: 1)
      entry.stateSummary = PrefetchingSourceTests.state
      return entry
    }
  }

  /// Waits until the producer has stopped reading (its count unchanged for 300 ms, at most
  /// 10 s), and returns the count.
  func settledCount(_ produced: Produced) -> Int {
    var last = -1
    let deadline = Date().addingTimeInterval(10)
    while Date() < deadline {
      let now = produced.count
      if now == last { return now }
      last = now
      Thread.sleep(forTimeInterval: 0.3)
    }
    return produced.count
  }

  /// 300 files of 256 KiB of records (75 MiB) are far fewer than the entries the queue may
  /// hold (16 batches of 256), so only the byte limit stops the walk before the consumer reads.
  @Test func largeSeenStateStopsTheWalkBeforeTheEntryLimit() throws {
    let produced = Produced()
    let total = 300
    let source = PrefetchingSource { StateFiles(count: total, produced: produced) }
    let ahead = settledCount(produced)
    let perEntry = Self.state.heldBytes
    // Queued: under the limit plus the batch that crossed it; one more batch (a quarter of the
    // limit) being made when the walk waits.
    let bound = (StateSummary.queuedItemBytes + StateSummary.queuedItemBytes / 2) / perEntry + 2
    #expect(ahead <= bound, "the walk read \(ahead) entries ahead of the consumer")
    #expect(ahead > 0)
    var names: [String] = []
    while let entry = try source.next() { names.append(entry.path.description) }
    #expect(names.count == total)
    #expect(names == names.sorted())
    #expect(produced.count == total)
  }

  /// Entries without state are still bounded by count only: all of a small source is read
  /// ahead (16 batches of 256 hold more than 1,000 entries).
  @Test func entriesWithoutStateAreReadAheadByCount() throws {
    struct Plain: ManifestSource {
      let produced: Produced
      var index = 0
      mutating func next() throws -> ManifestEntry? {
        guard index < 1000 else { return nil }
        defer { index += 1 }
        produced.increment()
        return ManifestEntry(area: "a", path: EntryPath("f\(index)"), kind: .file)
      }
    }
    let produced = Produced()
    let source = PrefetchingSource { Plain(produced: produced) }
    #expect(settledCount(produced) == 1000)
    var count = 0
    while try source.next() != nil { count += 1 }
    #expect(count == 1000)
  }
}
