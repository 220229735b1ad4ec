/// The effect of a skiplist file's committed log transactions, replayed as `recovery()` does
/// (3.6.1 lib/cyrusdb_skiplist.c:2170-2330): per key, its final value or its deletion.
struct SkiplistLog {
  enum Resolution {
    case unchanged
    case replaced(Value)
    case deleted
  }

  /// Where a log record's value lies: read only when the record is emitted, so that memory
  /// holds the log's keys, never its values.
  struct Value {
    var key: [UInt8]
    /// The ADD record's offset.
    var offset: Int
    var valueOffset: Int
    var valueLength: Int

    /// The record, its value read now.
    func record<S>(from window: inout ByteWindow<S>) throws -> CyrusDBRecord {
      CyrusDBRecord(
        key: key, value: try window.bytes(at: valueOffset, count: valueLength), offset: offset)
    }
  }

  private struct Entry {
    /// The final value, nil when deleted.
    var record: Value?
    /// The first operation on the key was an ADD, so the INORDER section should not have it.
    var firstOpWasAdd: Bool
    var consumed = false
  }

  private var entries: [[UInt8]: Entry] = [:]

  /// Replays every committed transaction from `start` to the end of the file.
  static func replay<S>(
    from start: Int, maxLevel: Int, window: inout ByteWindow<S>,
    summary: inout CyrusDBScanSummary
  ) throws -> SkiplistLog {
    var log = SkiplistLog()
    var offset = start
    var transaction: [SkiplistRecord] = []
    let size = window.count
    while offset < size {
      guard size - offset >= 4 else {
        summary.warn(
          CyrusDBError(.uncommittedTail, offset: offset, detail: "\(size - offset) trailing bytes"))
        return log
      }
      let type = try window.uint32(at: offset)
      if type == 0 && transaction.isEmpty {
        let from = offset
        offset = try window.endOfZeroWords(from: offset)
        summary.warn(CyrusDBError(.zeroFill, offset: from, detail: "\(offset - from) zero bytes"))
        continue
      }
      let record: SkiplistRecord
      do {
        record = try SkiplistRecord.read(
          at: offset, maxLevel: maxLevel, from: &window, readingValue: false)
      } catch let error as CyrusDBError where error.kind == .truncated {
        summary.warn(
          CyrusDBError(
            .uncommittedTail, offset: transaction.first?.offset ?? offset,
            detail: "partial record at \(hex(offset)) ends the file"))
        return log
      }
      switch record.type {
      case SkiplistRecord.add, SkiplistRecord.delete:
        transaction.append(record)
      case SkiplistRecord.commit:
        for r in transaction {
          try log.apply(r, maxLevel: maxLevel, window: &window, summary: &summary)
        }
        transaction.removeAll()
      default:
        throw CyrusDBError(
          .badRecordType, offset: offset,
          detail: "record type \(record.type) in the log; expected ADD, DELETE or COMMIT")
      }
      offset += record.length
    }
    if let first = transaction.first {
      summary.warn(
        CyrusDBError(
          .uncommittedTail, offset: first.offset,
          detail: "\(transaction.count) log records without COMMIT ignored"))
    }
    return log
  }

  private mutating func apply<S>(
    _ r: SkiplistRecord, maxLevel: Int, window: inout ByteWindow<S>,
    summary: inout CyrusDBScanSummary
  ) throws {
    if r.type == SkiplistRecord.add {
      let value = Value(
        key: r.key, offset: r.offset, valueOffset: r.valueOffset, valueLength: r.valueLength)
      if let old = entries[r.key] {
        if old.record != nil {
          summary.warn(
            CyrusDBError(
              .duplicateAdd, offset: r.offset, detail: "ADD of existing key \(printable(r.key))"))
        }
        entries[r.key]?.record = value
      } else {
        entries[r.key] = Entry(record: value, firstOpWasAdd: true)
      }
      return
    }
    let target: SkiplistRecord
    do {
      target = try SkiplistRecord.read(
        at: r.target, maxLevel: maxLevel, from: &window, readingValue: false)
    } catch let error as CyrusDBError {
      throw CyrusDBError(
        .badPointer, offset: r.offset,
        detail: "DELETE target \(hex(r.target)) unreadable: \(error)")
    }
    guard target.type == SkiplistRecord.inorder || target.type == SkiplistRecord.add,
      r.target < r.offset
    else {
      throw CyrusDBError(
        .badPointer, offset: r.offset,
        detail: "DELETE target \(hex(r.target)) is not an earlier INORDER or ADD record")
    }
    if let old = entries[target.key] {
      if old.record == nil {
        summary.warn(
          CyrusDBError(
            .deleteOfMissingKey, offset: r.offset,
            detail: "DELETE of deleted key \(printable(target.key))"))
      }
      entries[target.key]?.record = nil
    } else if target.type == SkiplistRecord.inorder {
      entries[target.key] = Entry(record: nil, firstOpWasAdd: false)
    } else {
      summary.warn(
        CyrusDBError(
          .deleteOfMissingKey, offset: r.offset,
          detail: "DELETE of never-added key \(printable(target.key))"))
    }
  }

  /// Keys the log touched, sorted.
  func sortedKeys(by order: CyrusKeyOrder) -> [[UInt8]] {
    entries.keys.sorted { order.compare($0, $1) < 0 }
  }

  /// What the log did to a key found in the INORDER section.
  mutating func resolve(_ key: [UInt8], summary: inout CyrusDBScanSummary) -> Resolution {
    guard let entry = entries[key] else { return .unchanged }
    if entry.consumed { return .deleted }  // already emitted: out-of-order INORDER section
    entries[key]?.consumed = true
    if entry.firstOpWasAdd {
      summary.warn(
        CyrusDBError(
          .duplicateAdd, offset: entry.record?.offset,
          detail: "ADD of key \(printable(key)) already in the INORDER section"))
    }
    if let record = entry.record { return .replaced(record) }
    return .deleted
  }

  /// The log's record for a key the INORDER section has not reached, once.
  mutating func takeAdded(_ key: [UInt8], summary: inout CyrusDBScanSummary) -> Value? {
    guard let entry = entries[key], !entry.consumed else { return nil }
    entries[key]?.consumed = true
    return entry.record
  }
}
