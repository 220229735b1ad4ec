/// Reads a `cyrus.index` of any minor version 6 – 17 record by record, checking what a reader
/// can check without the message files: CRCs, UID order, the file length and the header's
/// counters.
///
/// Records are read at `start_offset + (n-1) × record_size` with the header's own values
/// (Cyrus 2.2 and 3.6 do the same, 3.6.1 imap/mailbox.c:2319-2345); a header whose
/// `record_size` disagrees with its minor version is rejected when the reader is made.
///
/// **Thrown** (the file cannot be read at all, from ``init(_:)``): the header is truncated, its
/// minor version unknown, its record size wrong, its start offset inside the header.
/// **Collected** in ``IndexScanSummary/problems`` while the scan goes on: a header CRC
/// mismatch (offset of the CRC), a record CRC mismatch (the record is still passed on, with
/// ``IndexRecord/checksum`` `.mismatch`), UIDs not strictly ascending or above `last_uid`,
/// a file that ends inside the records (the scan stops there, ``IndexScanSummary/isComplete``
/// false), bytes after the last record, and header counters that differ from the records.
public struct IndexReader<Source: RandomAccessBytes> {
  public let source: Source
  public let header: IndexHeader

  /// Reads and checks the header.
  public init(_ source: Source) throws {
    self.source = source
    let length = min(source.count, 160)  // the largest header, minor 14–17
    let prefix: [UInt8]
    do {
      prefix = try source.bytes(at: 0, count: length)
    } catch {
      throw MailboxFormatError(.truncated, offset: 0, detail: "cannot read the header: \(error)")
    }
    self.header = try IndexHeader.parse(prefix)
  }

  /// Passes each record to `body` in file order and returns what the scan found.
  ///
  /// `userFlags` are the `cyrus.header` flag names by slot; when given (and the version has a
  /// sync CRC) the XOR of the records' ``IndexRecord/syncCRC(userFlags:)`` is checked against
  /// ``IndexHeader/syncCRC``. Errors thrown by `body` stop the scan and propagate; so does a
  /// source that fails in a way other than being short.
  @discardableResult
  public func forEachRecord(
    userFlags: [String?]? = nil, _ body: (IndexRecord) throws -> Void
  ) throws -> IndexScanSummary {
    var summary = IndexScanSummary()
    let h = header
    if case .mismatch(let stored, let computed) = h.checksum {
      summary.note(
        MailboxFormatError(
          .headerChecksum, offset: h.version.headerSize - 4,
          detail: "stored \(hex(stored)), computed \(hex(computed))"))
    }
    var window = ByteWindow(source)
    var previousUID: UInt32 = 0
    var totals = IndexTotals()
    var number: UInt32 = 1
    while number <= h.numRecords {
      let offset = h.recordOffset(number)
      let size = Int(h.recordSize)
      guard offset <= source.count, size <= source.count - offset else {
        summary.note(
          MailboxFormatError(
            .truncated, offset: offset,
            detail:
              "record \(number) of \(h.numRecords) needs bytes \(hex(offset))–"
              + "\(hex(offset + size - 1)), file has \(source.count)"))
        summary.isComplete = false
        break
      }
      let bytes = try window.bytes(at: offset, count: size)
      let record = try IndexRecord.parse(bytes, version: h.version, number: number, offset: offset)
      if case .mismatch(let stored, let computed) = record.checksum {
        summary.note(
          MailboxFormatError(
            .recordChecksum, offset: offset + size - 4,
            detail: "record \(number) (UID \(record.uid)): stored \(hex(stored)), "
              + "computed \(hex(computed))"))
        summary.badChecksumRecords += 1
      }
      if record.uid <= previousUID {
        summary.note(
          MailboxFormatError(
            .outOfOrder, offset: offset,
            detail: "record \(number): UID \(record.uid) after UID \(previousUID)"))
      } else if record.uid > h.lastUID {
        summary.note(
          MailboxFormatError(
            .outOfOrder, offset: offset,
            detail: "record \(number): UID \(record.uid) above last_uid \(h.lastUID)"))
      }
      previousUID = max(previousUID, record.uid)
      totals.add(record, userFlags: userFlags)
      try body(record)
      summary.recordCount += 1
      number += 1
    }
    summary.totals = totals
    guard summary.isComplete else { return summary }
    if source.count > h.recordsEnd {
      summary.note(
        MailboxFormatError(
          .trailingBytes, offset: h.recordsEnd,
          detail: "\(source.count - h.recordsEnd) bytes after record \(h.numRecords)"))
    }
    for problem in totals.mismatches(with: h, checkSyncCRC: userFlags != nil) {
      summary.note(problem)
    }
    return summary
  }
}

extension IndexReader: Sendable where Source: Sendable {}
