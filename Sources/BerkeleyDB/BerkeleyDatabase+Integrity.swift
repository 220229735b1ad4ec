internal import CBerkeleyDB

/// Checks this module makes on what libdb reports, where libdb itself would silently read too
/// little or loop for a very long time on a damaged file (observed with libdb 5.3; see
/// README.md).
extension BerkeleyDatabase {
  /// Meta page against file: `last_pgno + 1` pages of `pagesize` bytes must be exactly the file
  /// size, and a HASH file needs a page for each of its `max_bucket + 1` buckets.
  static func checkMetaCounts(_ handle: BerkeleyHandle, pageSize: UInt32, fileSize: Int64)
    throws(BerkeleyError)
  {
    var pages: UInt32 = 0
    var buckets: UInt32 = 0
    try handle.call.check(cbdb_meta_counts(handle.open, &pages, &buckets), .stat)
    guard pages > 0 else { return }  // DB_QUEUE, DB_HEAP: not inspected
    let expectedSize = Int64(pages) * Int64(pageSize)
    guard expectedSize == fileSize else {
      throw handle.call.corrupt(
        "meta page says \(pages) pages of \(pageSize) bytes (\(expectedSize) bytes), "
          + "the file has \(fileSize) bytes")
    }
    guard buckets < pages else {
      throw handle.call.corrupt(
        "meta page says \(buckets) hash buckets, more than the file's \(pages - 1) data pages")
    }
  }

  /// libdb reports a file of another access method than requested as `EINVAL`, like a file
  /// that is no database at all; reopening it with `DB_UNKNOWN` tells the two apart.
  static func explainWrongType(
    _ error: BerkeleyError, source: Source, name: String, expecting: BerkeleyAccessMethod?
  ) -> BerkeleyError {
    guard error.kind == .notADatabase, let expecting,
      let probe = try? BerkeleyDatabase(
        source: source, name: name, expecting: nil,
        maximumItemBytes: BerkeleyDatabase.defaultMaximumItemBytes)
    else { return error }
    let actual = probe.accessMethod
    probe.closeIgnoringErrors()
    guard actual != expecting else { return error }
    var refined = error
    refined.kind = .wrongType
    refined.details.append("the file is a \(actual) database; \(expecting) was requested")
    return refined
  }

  /// At the end of a walk: the file must still have the size it had at open. libdb reads a
  /// HASH file that lost pages without complaint, so a copy cut short while being read would
  /// otherwise look complete.
  func checkSizeUnchanged() throws(BerkeleyError) {
    var size: Int64 = 0
    try handle.call.check(cbdb_file_size(handle.open, &size), .fileSize)
    guard size == fileSize else {
      throw handle.call.corrupt(
        "the file changed from \(fileSize) to \(size) bytes while it was read")
    }
  }

  func closeIgnoringErrors() {
    do { try close() } catch {}
  }
}
