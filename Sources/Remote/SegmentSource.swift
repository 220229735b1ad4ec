import CyrusStore

/// The next thing a ``SegmentSource`` offers: a group of segments not opened, or one segment.
public enum SegmentItem: Sendable {
  case group(GroupSummary)
  case segment(SegmentSummary)

  /// Canonical order of two items' keys (area, then path of the first entry).
  static func compareKeys(_ lhs: SegmentItem, _ rhs: SegmentItem) -> Int {
    if lhs.area != rhs.area {
      return lhs.area.utf8.lexicographicallyPrecedes(rhs.area.utf8) ? -1 : 1
    }
    return EntryPath.compare(lhs.path.bytes, rhs.path.bytes)
  }

  var area: String {
    switch self {
    case .group(let group): group.area
    case .segment(let segment): segment.area
    }
  }

  var path: EntryPath {
    switch self {
    case .group(let group): group.path
    case .segment(let segment): segment.path
    }
  }
}

/// One side as a stream of groups of segments and of segments, whose entries are fetched only
/// when wanted: a group that matches the other side's is settled whole, one that does not is
/// opened and its segments settled one by one.
public protocol SegmentSource: AnyObject {
  /// Whether entries cost nothing to get (a local walk or a saved manifest), as opposed to
  /// crossing the wire.
  var entriesAreLocal: Bool { get }
  /// The next item, or `nil` at the end. After a group, exactly one of ``openGroup()`` and
  /// ``takeGroup(wanted:)`` follows; after a segment, ``take(wanted:)``.
  func nextItem() throws -> SegmentItem?
  /// Opens the group last returned: its segments are the next items.
  func openGroup() throws
  /// Settles the group last returned whole: all its entries when `wanted`, otherwise `nil`
  /// (the agent drops them).
  func takeGroup(wanted: Bool) throws -> [ManifestEntry]?
  /// Settles the segment last returned: its entries when `wanted`, otherwise `nil`.
  func take(wanted: Bool) throws -> [ManifestEntry]?
}

/// A local ``ManifestSource`` (a walk, a saved manifest) cut into segments, and, when
/// `grouped`, the segments into groups as an agent groups them (``SegmentGrouper``): a group is
/// held until settled, at most one segment's worth of entries (``GroupCutter``) plus the segment
/// read ahead to find its end.
public final class LocalSegments<Source: ManifestSource>: SegmentSource {
  private var segmenter: Segmenter<Source>
  private let grouped: Bool
  private var grouper = SegmentGrouper()
  /// The segments of the group last returned, until it is settled.
  private var group: [Segment]?
  /// Segments of an opened group not yet returned.
  private var opened: [Segment] = []
  private var current: Segment?
  private var ended = false

  /// - Parameter grouped: whether segments come in groups (when the other side is an agent,
  ///   which groups its own).
  public init(_ source: Source, grouped: Bool = false) {
    segmenter = Segmenter(source)
    self.grouped = grouped
  }

  public var entriesAreLocal: Bool { true }

  public func nextItem() throws -> SegmentItem? {
    precondition(current == nil && group == nil, "every item is settled before the next")
    if !opened.isEmpty {
      let segment = opened.removeFirst()
      current = segment
      return .segment(segment.summary)
    }
    guard grouped else {
      current = try segmenter.next()
      return current.map { .segment($0.summary) }
    }
    while !ended {
      guard let segment = try segmenter.next() else {
        ended = true
        break
      }
      if let (summary, members) = grouper.add(segment) {
        group = members
        return .group(summary)
      }
    }
    guard let (summary, members) = grouper.finish() else { return nil }
    group = members
    return .group(summary)
  }

  public func openGroup() throws {
    guard let members = group else { preconditionFailure("openGroup() follows a group") }
    group = nil
    opened = members
  }

  public func takeGroup(wanted: Bool) throws -> [ManifestEntry]? {
    guard let members = group else { preconditionFailure("takeGroup(wanted:) follows a group") }
    group = nil
    return wanted ? members.flatMap(\.entries) : nil
  }

  public func take(wanted: Bool) throws -> [ManifestEntry]? {
    guard let segment = current else { preconditionFailure("take(wanted:) follows a segment") }
    current = nil
    return wanted ? segment.entries : nil
  }
}
