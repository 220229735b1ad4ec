import CyrusStore

/// One side as a stream of segment summaries, whose entries are fetched only when wanted.
public protocol SegmentSource: AnyObject {
  /// Whether entries cost nothing to get (a local walk or a saved manifest), as opposed to
  /// crossing the wire.
  var entriesAreLocal: Bool { get }
  /// The next segment's summary, or `nil` at the end.
  func nextSummary() throws -> SegmentSummary?
  /// Settles the segment last returned by ``nextSummary()``: its entries when `wanted`,
  /// otherwise `nil` (the agent drops them). Called exactly once per summary, in order.
  func take(wanted: Bool) throws -> [ManifestEntry]?
}

/// A local ``ManifestSource`` (a walk, a saved manifest) cut into segments.
public final class LocalSegments<Source: ManifestSource>: SegmentSource {
  private var segmenter: Segmenter<Source>
  private var current: Segment?

  public init(_ source: Source) {
    segmenter = Segmenter(source)
  }

  public var entriesAreLocal: Bool { true }

  public func nextSummary() throws -> SegmentSummary? {
    precondition(current == nil, "take(wanted:) settles every summary before the next")
    current = try segmenter.next()
    return current?.summary
  }

  public func take(wanted: Bool) throws -> [ManifestEntry]? {
    guard let segment = current else { preconditionFailure("take(wanted:) follows a summary") }
    current = nil
    return wanted ? segment.entries : nil
  }
}
