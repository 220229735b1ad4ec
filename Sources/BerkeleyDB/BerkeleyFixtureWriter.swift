internal import CBerkeleyDB

/// FOR TESTS AND FIXTURE SCRIPTS ONLY: writes a new Berkeley DB file with given records.
///
/// Verification never writes Berkeley DB files; this exists so tests can build BTREE and HASH
/// files like Cyrus 2.2's (no environment, no comparator, no duplicates) without a Cyrus
/// server. It is SPI, invisible to a plain `import BerkeleyDB`; a test opts in with
/// `@_spi(Fixtures) import BerkeleyDB`. The file gets a random Berkeley DB file ID, so two runs
/// with the same records give different bytes.
@_spi(Fixtures)
public enum BerkeleyFixtureWriter {
  /// Creates the file at `path` (which must not exist) and stores `records` in order.
  ///
  /// - Parameters:
  ///   - accessMethod: `.btree` or `.hash`.
  ///   - pageSize: `DB->set_pagesize`, 512…65536, a power of two; nil lets libdb choose.
  /// - Throws: `BerkeleyError`; a duplicate key fails with `DB_KEYEXIST`.
  public static func write(
    path: String, accessMethod: BerkeleyAccessMethod, records: [BerkeleyRecord],
    pageSize: UInt32? = 4096
  ) throws(BerkeleyError) {
    precondition(
      accessMethod == .btree || accessMethod == .hash, "the fixture writer makes BTREE or HASH")
    let handle = try BerkeleyHandle(path: path)
    let db = handle.open
    if let pageSize { try handle.call.check(cbdb_set_pagesize(db, pageSize), .setPageSize) }
    let flags = UInt32(DB_CREATE) | UInt32(DB_EXCL)
    try handle.call.check(cbdb_open(db, path, accessMethod.dbType, flags, 0o644), .open)
    for record in records {
      try put(record, into: db, call: handle.call)
    }
    try handle.close()
  }

  private static func put(
    _ record: BerkeleyRecord, into db: UnsafeMutablePointer<DB>, call: BerkeleyCall
  ) throws(BerkeleyError) {
    var key = record.key
    var value = record.value
    let code = key.withUnsafeMutableBytes { keyBytes in
      value.withUnsafeMutableBytes { valueBytes in
        var keyDBT = DBT()
        keyDBT.data = keyBytes.baseAddress
        keyDBT.size = UInt32(keyBytes.count)
        var valueDBT = DBT()
        valueDBT.data = valueBytes.baseAddress
        valueDBT.size = UInt32(valueBytes.count)
        return cbdb_put(db, &keyDBT, &valueDBT, UInt32(DB_NOOVERWRITE))
      }
    }
    try call.check(code, .put)
  }
}
