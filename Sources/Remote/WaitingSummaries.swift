/// The summaries (and the `end`) an agent sent ahead while the local side waited for a
/// segment's detail, decoded as they came, oldest first.
///
/// An agent sends at most ``RemoteLimits/pendingSegments`` summaries ahead of the answers it
/// has read, whose first paths together are at most its ``RemoteLimits/pendingBytes`` of
/// encoded segments plus one; more than that is a peer that does not follow the protocol, and
/// the session ends with an error before it can make this queue grow.
struct WaitingSummaries {
  /// One thing waiting.
  enum Item {
    case group(GroupSummary)
    case summary(SegmentSummary)
    case end(EndMessage)

    /// Bytes of the path it holds.
    var pathBytes: Int {
      switch self {
      case .group(let group): group.path.bytes.count
      case .summary(let summary): summary.path.bytes.count
      case .end: 0
      }
    }
  }

  private var items: [Item] = []
  private var head = 0
  /// Bytes of the paths of the summaries waiting.
  private(set) var pathBytes = 0

  var isEmpty: Bool { head == items.count }
  /// Items waiting.
  var count: Int { items.count - head }

  /// Queues `item`, which came at stream offset `offset`.
  /// - Throws: ``RemoteProtocolError`` when the agent sent more ahead than its window allows.
  mutating func append(_ item: Item, offset: Int) throws(RemoteProtocolError) {
    if head < items.count, case .end = items[items.count - 1] {
      throw RemoteProtocolError(.unexpected, offset: offset, detail: "a summary after the end")
    }
    guard count < RemoteLimits.waitingSummaries else {
      throw RemoteProtocolError(
        .tooLarge, offset: offset,
        detail: "more than \(RemoteLimits.waitingSummaries) summaries sent ahead of a detail")
    }
    guard item.pathBytes <= RemoteLimits.waitingPathBytes - pathBytes else {
      throw RemoteProtocolError(
        .tooLarge, offset: offset,
        detail: "summaries sent ahead of a detail hold more than "
          + "\(RemoteLimits.waitingPathBytes) bytes of paths")
    }
    pathBytes += item.pathBytes
    if head > RemoteLimits.waitingSummaries {
      // Drop what was taken, so the array holds at most twice the window.
      items.removeFirst(head)
      head = 0
    }
    items.append(item)
  }

  /// The oldest item, or `nil` when none waits.
  mutating func removeFirst() -> Item? {
    guard head < items.count else { return nil }
    let first = items[head]
    items[head] = .end(EndMessage(segments: 0, entries: 0))  // the summary's path is let go
    head += 1
    pathBytes -= first.pathBytes
    if head == items.count {
      items.removeAll(keepingCapacity: true)
      head = 0
    }
    return first
  }
}
