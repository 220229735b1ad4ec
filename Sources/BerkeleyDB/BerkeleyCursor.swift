internal import CBerkeleyDB

/// A read cursor over one `BerkeleyDatabase` (`DBC`), returning one record at a time in stored
/// order: use it like an iterator, `while let record = try cursor.next() { … }`.
///
/// Memory is bounded: keys and values are read into two buffers the cursor owns
/// (`DB_DBT_USERMEM`), grown only when libdb reports `DB_BUFFER_SMALL` with the size it needs,
/// and only up to the database's `maximumItemBytes`. The cursor keeps the database open and is
/// closed before it (`DBC->close`): by `close()`, by the database's `close()`, or in `deinit`.
///
/// Integrity checks while reading: BTREE keys must come back in strictly increasing bytewise
/// order (Cyrus sets no comparator and no duplicates), and no file yields more records than
/// `fileSize / 6`. Either failure means damaged page links (a leaf chain that loops) and
/// throws `.corrupt`; so does a file whose size changed by the end of the walk, and anything
/// libdb reports. After a throw, `next()` throws the same error again.
public final class BerkeleyCursor {
  /// The buffers' first size, in bytes; they grow to what libdb asks for.
  static let initialBufferBytes = 4096

  private let database: BerkeleyDatabase
  private var dbc: UnsafeMutablePointer<DBC>?
  private var keyBuffer: UnsafeMutableRawBufferPointer
  private var valueBuffer: UnsafeMutableRawBufferPointer
  private var previousKey: [UInt8]?
  private var recordsRead: Int64 = 0
  private var finished = false
  private var failure: BerkeleyError?

  init(database: BerkeleyDatabase) throws(BerkeleyError) {
    var opened: UnsafeMutablePointer<DBC>?
    try database.handle.call.check(cbdb_cursor(database.handle.open, &opened), .cursor)
    guard let opened else { preconditionFailure("DB->cursor returned 0 without a cursor") }
    self.database = database
    dbc = opened
    keyBuffer = .allocate(byteCount: Self.initialBufferBytes, alignment: 1)
    valueBuffer = .allocate(byteCount: Self.initialBufferBytes, alignment: 1)
  }

  deinit {
    if let dbc { _ = cbdb_cursor_close(dbc) }
    keyBuffer.deallocate()
    valueBuffer.deallocate()
  }

  /// The next record in stored order, or nil after the last one.
  public func next() throws(BerkeleyError) -> BerkeleyRecord? {
    if let failure { throw failure }
    if finished { return nil }
    do {
      guard let record = try read() else {
        try database.checkSizeUnchanged()
        finished = true
        return nil
      }
      try checkOrder(record)
      return record
    } catch {
      failure = error
      throw error
    }
  }

  /// Closes the cursor (`DBC->close`); later calls do nothing, and `next()` returns nil.
  public func close() throws(BerkeleyError) {
    guard let dbc else { return }
    self.dbc = nil
    finished = true
    try database.handle.call.check(cbdb_cursor_close(dbc), .cursorClose)
  }

  func closeIgnoringErrors() {
    do { try close() } catch {}
  }

  private func read() throws(BerkeleyError) -> BerkeleyRecord? {
    guard let dbc else { preconditionFailure("BerkeleyCursor used after close") }
    let call = database.handle.call
    // One retry per buffer that was too small; libdb leaves the cursor where it was.
    for _ in 0..<3 {
      var key = DBT()
      var value = DBT()
      Self.lend(keyBuffer, to: &key)
      Self.lend(valueBuffer, to: &value)
      let code = cbdb_cursor_get(dbc, &key, &value, UInt32(DB_NEXT))
      if code == DB_BUFFER_SMALL {
        _ = call.log.take()
        try grow(&keyBuffer, to: key.size, what: "key")
        try grow(&valueBuffer, to: value.size, what: "value")
        continue
      }
      if try call.check(code, .cursorGet, accepting: [DB_NOTFOUND]) == DB_NOTFOUND { return nil }
      return BerkeleyRecord(key: Self.bytes(of: key), value: Self.bytes(of: value))
    }
    throw call.corrupt("DBC->get kept returning DB_BUFFER_SMALL after the buffers grew")
  }

  private func checkOrder(_ record: BerkeleyRecord) throws(BerkeleyError) {
    recordsRead += 1
    let limit = Self.recordLimit(fileSize: database.fileSize)
    guard recordsRead <= limit else {
      throw database.handle.call.corrupt(
        "more than \(limit) records in a file of \(database.fileSize) bytes: page links loop")
    }
    guard database.accessMethod == .btree else { return }
    if let previousKey, !previousKey.lexicographicallyPrecedes(record.key) {
      throw database.handle.call.corrupt(
        "BTREE key \(Self.hex(record.key)) does not follow \(Self.hex(previousKey)) "
          + "in record \(recordsRead)")
    }
    previousKey = record.key
  }

  /// The largest number of records a file of `fileSize` bytes can hold: each pair takes at
  /// least two 2-byte index slots and two 1-byte item headers (HKEYDATA, db_page.h). A cursor
  /// that returns more is walking a cycle of damaged page links.
  static func recordLimit(fileSize: Int64) -> Int64 { fileSize / 6 }

  private func grow(_ buffer: inout UnsafeMutableRawBufferPointer, to size: UInt32, what: String)
    throws(BerkeleyError)
  {
    guard Int(size) > buffer.count else { return }
    guard Int(size) <= database.maximumItemBytes else {
      throw database.handle.call.error(
        DB_BUFFER_SMALL, .cursorGet,
        details: ["\(what) of \(size) bytes exceeds the limit of \(database.maximumItemBytes)"])
    }
    buffer.deallocate()
    buffer = .allocate(byteCount: Int(size), alignment: 1)
  }

  private static func lend(_ buffer: UnsafeMutableRawBufferPointer, to dbt: inout DBT) {
    dbt.data = buffer.baseAddress
    dbt.ulen = UInt32(buffer.count)
    dbt.flags = UInt32(DB_DBT_USERMEM)
  }

  private static func bytes(of dbt: DBT) -> [UInt8] {
    guard let data = dbt.data, dbt.size > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: data, count: Int(dbt.size)))
  }

  /// At most 32 bytes in hex, for error details.
  static func hex(_ bytes: [UInt8]) -> String {
    let shown = bytes.prefix(32).map { byte in
      let digits = String(byte, radix: 16)
      return byte < 16 ? "0" + digits : digits
    }
    return "0x" + shown.joined() + (bytes.count > 32 ? "…" : "")
  }
}

@available(*, unavailable, message: "a Berkeley DB cursor belongs to one task at a time")
extension BerkeleyCursor: Sendable {}
