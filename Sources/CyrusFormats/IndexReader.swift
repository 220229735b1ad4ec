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
/// false), runs of all-zero records (skipped as one problem; a hole of a sparse file is skipped
/// without reading it; ``IndexScanSummary/isComplete`` false), bytes after the last record, and
/// header counters that differ from the records.
///
/// Work is bounded by the bytes the file stores: records are read only while the file has
/// them, and a hole costs one `lseek`, whatever count the header announces.
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
    let size = Int(h.recordSize)
    let announced = Int(h.numRecords)
    // Int, not UInt32: the header may announce UInt32.max records.
    var number = 1
    while number <= announced {
      let offset = Int(h.startOffset) + (number - 1) * size
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
      let parsed = try window.withBytes(at: offset, count: size) { bytes -> IndexRecord? in
        if bytes.allSatisfy({ $0 == 0 }) { return nil }
        return try IndexRecord.parse(
          bytes, version: h.version, number: UInt32(number), offset: offset)
      }
      guard let record = parsed else {
        number += skipZeroRecords(
          from: number, at: offset, size: size, announced: announced, summary: &summary)
        continue
      }
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

extension IndexReader {
  /// Skips the run of all-zero records starting with record `first` at `offset` (a record
  /// Cyrus never wrote: UID 0 is not a UID) and notes it once. A run inside a hole of a sparse
  /// file is skipped whole, so a header announcing 2^32−1 records over a file of a few KiB on
  /// disk costs the records stored, not the records announced. The scan is incomplete after it.
  /// - Returns: how many records the run covers (at least 1).
  fileprivate func skipZeroRecords(
    from first: Int, at offset: Int, size: Int, announced: Int, summary: inout IndexScanSummary
  ) -> Int {
    var count = 1
    var end = offset + size
    var window = ByteWindow(source)
    while first + count <= announced, end <= source.count - size {
      let data = source.dataOffset(atOrAfter: end)
      if data - end >= size {
        let inHole = min((data - end) / size, announced - first - count + 1)
        count += inHole
        end += inHole * size
        continue
      }
      guard (try? window.bytes(at: end, count: size))?.allSatisfy({ $0 == 0 }) == true else {
        break
      }
      count += 1
      end += size
    }
    summary.note(
      MailboxFormatError(
        .zeroRecords, offset: offset,
        detail: count == 1
          ? "record \(first) is all zero bytes (never written)"
          : "records \(first)–\(first + count - 1) are all zero bytes (never written, or a hole)"))
    summary.isComplete = false
    return count
  }
}

extension IndexReader: Sendable where Source: Sendable {}
