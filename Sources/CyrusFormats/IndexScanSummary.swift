/// What ``IndexReader/forEachRecord(userFlags:_:)`` found besides the records themselves.
public struct IndexScanSummary: Hashable, Sendable {
  /// Records passed to the body.
  public var recordCount = 0
  /// Records whose CRC did not match (they were passed on, marked).
  public var badChecksumRecords = 0
  /// False when the file ended before the last record the header announces, or records were
  /// skipped as all zero bytes (then the header's counters are not compared).
  public var isComplete = true
  /// Problems in the order found, at most ``maxProblems``; ``droppedProblems`` counts the rest.
  public var problems: [MailboxFormatError] = []
  public var droppedProblems = 0
  /// What the records add up to.
  public var totals = IndexTotals()

  /// Cap on stored problems, so a badly damaged file cannot exhaust memory.
  public static let maxProblems = 100

  public init() {}

  /// True when the scan was complete and found nothing wrong.
  public var isClean: Bool { isComplete && problems.isEmpty && droppedProblems == 0 }

  mutating func note(_ problem: MailboxFormatError) {
    if problems.count < Self.maxProblems {
      problems.append(problem)
    } else {
      droppedProblems += 1
    }
  }
}
