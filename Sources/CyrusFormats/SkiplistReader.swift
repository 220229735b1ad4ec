/// Reads a skiplist database (Cyrus 2.2 – 3.6, format 1.2) without trusting its forward
/// pointers, the way `recovery()` rebuilds it (3.6.1 lib/cyrusdb_skiplist.c:2020-2330):
/// the INORDER section written by the last checkpoint, then every committed log transaction
/// (ADD / DELETE … COMMIT) in file order. Pointers written in place by a crashed writer may be
/// half-updated; this algorithm never reads them.
///
/// Records come out in key order: the INORDER records streamed from the file, with the keys the
/// log added, changed or deleted merged in. Only the log's effect is held in memory.
///
/// **Fatal** (thrown): bad magic, version ≠ 1, maxlevel > 20, curlevel > maxlevel; a DUMMY that
/// is not at offset 48 with zero key/data and exactly maxlevel pointers; any damaged record
/// (length past the end or over ``CyrusDBLimits``, missing 0xFFFFFFFF terminator, record without
/// pointers); a log record of a type other than ADD, DELETE, COMMIT; a DELETE pointing at
/// something other than an INORDER or ADD record.
///
/// **Non-fatal** (in the summary, as Cyrus's recovery tolerates them): `listsize` ≠ records
/// found, checked only when the file has no log (Cyrus updates `listsize` at checkpoint and
/// recovery only: 3.6.1 lib/cyrusdb_skiplist.c:1749, 2052); INORDER section not ending at `logstart`; INORDER keys out of ``keyOrder``; a
/// trailing transaction without COMMIT (ignored); an ADD of an existing key (replaces); a
/// DELETE of a missing key (skipped); zero words in the log (skipped).
public struct SkiplistReader<Source: RandomAccessBytes>: CyrusDBReader {
  public let source: Source
  public let header: SkiplistHeader
  /// Order of the INORDER section: `.signedChar` by default, `.mailbox` for a 2.3+
  /// mailboxes.db written with `improved_mboxlist_sort: yes`.
  public let keyOrder: CyrusKeyOrder

  public init(_ source: Source, keyOrder: CyrusKeyOrder = .signedChar) throws {
    self.source = source
    self.keyOrder = keyOrder
    header = try SkiplistHeader(
      try source.bytes(at: 0, count: min(source.count, SkiplistHeader.size)))
  }

  var maxLevel: Int { Int(header.maxLevel) }
  var firstRecordOffset: Int { SkiplistHeader.size + header.dummySize }

  @discardableResult
  public func forEachRecord(_ body: (CyrusDBRecord) throws -> Void) throws -> CyrusDBScanSummary {
    var window = ByteWindow(source)
    var summary = CyrusDBScanSummary()
    try checkDummy(&window)
    let logStart = try inorderEnd(&window)
    if logStart != Int(header.logStart) {
      summary.warn(
        CyrusDBError(
          .logStartMismatch, offset: 40,
          detail: "header logstart \(hex(header.logStart)), INORDER records end at \(hex(logStart))"
        ))
    }
    var log = try SkiplistLog.replay(
      from: logStart, maxLevel: maxLevel, window: &window, summary: &summary)
    let pending = log.sortedKeys(by: keyOrder)
    var nextPending = 0
    var offset = firstRecordOffset
    var previousKey: [UInt8]? = nil
    func emit(_ record: CyrusDBRecord) throws {
      try body(record)
      summary.recordCount += 1
    }
    while offset < logStart {
      let record = try SkiplistRecord.read(at: offset, maxLevel: maxLevel, from: &window)
      offset += record.length
      if let previousKey, keyOrder.compare(previousKey, record.key) >= 0 {
        summary.warn(
          CyrusDBError(
            .outOfOrder, offset: record.offset,
            detail: "key \(printable(record.key)) does not sort after \(printable(previousKey))"))
      }
      previousKey = record.key
      while nextPending < pending.count, keyOrder.compare(pending[nextPending], record.key) < 0 {
        if let r = log.takeAdded(pending[nextPending], summary: &summary) {
          try emit(r.record(from: &window))
        }
        nextPending += 1
      }
      switch log.resolve(record.key, summary: &summary) {
      case .unchanged:
        try emit(CyrusDBRecord(key: record.key, value: record.value, offset: record.offset))
      case .replaced(let r): try emit(r.record(from: &window))
      case .deleted: break
      }
    }
    while nextPending < pending.count {
      if let r = log.takeAdded(pending[nextPending], summary: &summary) {
        try emit(r.record(from: &window))
      }
      nextPending += 1
    }
    // Cyrus updates listsize only at checkpoint and recovery, never on a logged write, so it
    // can be checked only while the log is empty.
    if logStart >= source.count, summary.recordCount != Int(header.listSize) {
      summary.warn(
        CyrusDBError(
          .countMismatch, offset: 36,
          detail: "header listsize \(header.listSize), found \(summary.recordCount)"))
    }
    return summary
  }

  private func checkDummy(_ window: inout ByteWindow<Source>) throws {
    let dummy = try SkiplistRecord.read(
      at: SkiplistHeader.size, maxLevel: maxLevel, from: &window)
    guard dummy.type == SkiplistRecord.dummy, dummy.key.isEmpty, dummy.value.isEmpty,
      dummy.level == maxLevel
    else {
      throw CyrusDBError(
        .badRecordType, offset: SkiplistHeader.size,
        detail: "expected DUMMY with \(maxLevel) pointers, found type \(dummy.type) "
          + "keylen \(dummy.key.count) datalen \(dummy.value.count) level \(dummy.level)")
    }
  }

  /// Walks INORDER records from the first record after DUMMY; returns where they stop.
  private func inorderEnd(_ window: inout ByteWindow<Source>) throws -> Int {
    var offset = firstRecordOffset
    while offset <= source.count - 4 {
      let type = try window.uint32(at: offset)
      guard type == SkiplistRecord.inorder else { break }
      offset += try SkiplistRecord.read(at: offset, maxLevel: maxLevel, from: &window).length
    }
    return min(offset, source.count)
  }
}

extension SkiplistReader: Sendable where Source: Sendable {}
