/// A set of UIDs stored as ranges, as in the `seenuids` of a seen value: `1:16239,16241:17015`
/// (grammar 2.2.13 cyrus/imap/index.c:440-446; format reference §8.3).
///
/// Ranges are kept sorted, merged and never expanded, so `1:3,4` and `1:4` and `3:1,4` are
/// equal, and memory is bounded by the length of the text, not by the UIDs it names.
public struct SequenceSet: Hashable, Sendable, CustomStringConvertible {
  /// Longest text accepted by ``init(parsing:)``. Unit: bytes.
  public static let maxTextLength = 1 << 22

  /// Disjoint, non-adjacent ranges in ascending order.
  public private(set) var ranges: [ClosedRange<UInt32>] = []

  /// The empty set.
  public init() {}

  /// A set of the given ranges, in any order, overlapping or not.
  public init<S: Sequence>(ranges: S) where S.Element == ClosedRange<UInt32> {
    for r in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) { appendSorted(r) }
  }

  /// A set of the given UIDs, in any order.
  public init<S: Sequence>(uids: S) where S.Element == UInt32 {
    for uid in uids.sorted() { appendSorted(uid...uid) }
  }

  /// Adds a range that starts at or after the start of every range already in the set.
  mutating func appendSorted(_ r: ClosedRange<UInt32>) {
    if let last = ranges.last,
      r.lowerBound <= last.upperBound || r.lowerBound - 1 == last.upperBound
    {
      ranges[ranges.count - 1] = last.lowerBound...max(last.upperBound, r.upperBound)
    } else {
      ranges.append(r)
    }
  }

  /// Adds `uid`; cheap when UIDs come in ascending order (as index records do).
  public mutating func insert(_ uid: UInt32) {
    if let last = ranges.last, uid >= last.lowerBound {
      appendSorted(uid...uid)
    } else if !contains(uid) {
      self = SequenceSet(ranges: ranges + [uid...uid])
    }
  }

  public var isEmpty: Bool { ranges.isEmpty }

  /// Number of UIDs in the set.
  public var count: UInt64 {
    ranges.reduce(0) { $0 + UInt64($1.upperBound - $1.lowerBound) + 1 }
  }

  /// Membership by binary search over the ranges.
  public func contains(_ uid: UInt32) -> Bool {
    var low = 0
    var high = ranges.count
    while low < high {
      let mid = (low + high) / 2
      if ranges[mid].upperBound < uid {
        low = mid + 1
      } else {
        high = mid
      }
    }
    return low < ranges.count && ranges[low].contains(uid)
  }

  /// The UIDs in both sets: for comparing seen sets only over the UIDs that exist (2.2 writes
  /// ranges across expunged UIDs, and may start at 1).
  public func intersection(_ other: SequenceSet) -> SequenceSet {
    var out = SequenceSet()
    var i = 0
    var j = 0
    while i < ranges.count, j < other.ranges.count {
      let a = ranges[i]
      let b = other.ranges[j]
      let low = max(a.lowerBound, b.lowerBound)
      let high = min(a.upperBound, b.upperBound)
      if low <= high { out.appendSorted(low...high) }
      if a.upperBound < b.upperBound { i += 1 } else { j += 1 }
    }
    return out
  }

  /// The canonical text: ascending, merged, `a:b` for ranges, `a` for single UIDs.
  public var description: String {
    ranges.map { r in
      r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound):\(r.upperBound)"
    }.joined(separator: ",")
  }
}
