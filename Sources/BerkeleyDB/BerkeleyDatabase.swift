internal import CBerkeleyDB

/// A Berkeley DB database file opened read-only, without an environment.
///
/// This is how the verifier reads a Cyrus 2.2–2.5 `berkeley*` database (for example
/// `mailboxes.db`) copied from a server: `db_create` with no `DB_ENV`, then `DB->open` with
/// `DB_RDONLY | DB_NOMMAP`. No `db/__db.*` region files or `db/log.*` logs are read or made, so
/// the reader sees **only the pages flushed to the file**: committed changes that live only in
/// the logs until the next checkpoint are invisible. Read a file only after the server stopped
/// and ran recovery and a checkpoint with its own Berkeley DB version (see this module's
/// README). `DB_NOMMAP` keeps libdb from mapping the file, so a file truncated by someone else
/// while it is read gives an error instead of `SIGBUS`.
///
/// Only regular files are opened (`DB->open` on a FIFO would block). Before any record is read,
/// the meta page's page count is checked against the file size
/// (libdb itself reads a HASH file cut at a page boundary without complaint, returning fewer
/// records) and a HASH file's bucket count against its page count (a damaged `max_bucket`
/// makes libdb walk millions of empty buckets). The database owns its handle and closes it
/// exactly once; open cursors are closed first.
public final class BerkeleyDatabase {
  /// Keys or values longer than this make the cursor throw `.recordTooLarge` before it
  /// allocates (our limit, not libdb's; Cyrus's records are far smaller).
  public static let defaultMaximumItemBytes = 16 * 1024 * 1024

  /// The database file's path, or the name given with its descriptor.
  public let path: String
  /// The access method the file has (`DB->get_type`).
  public let accessMethod: BerkeleyAccessMethod
  /// The file's page size in bytes (`DB->get_pagesize`).
  public let pageSize: UInt32
  /// The file size in bytes when it was opened.
  public let fileSize: Int64
  let maximumItemBytes: Int
  let handle: BerkeleyHandle
  private var cursors: [WeakCursor] = []

  /// Opens the file at `path` read-only, without an environment.
  ///
  /// - Parameters:
  ///   - path: the database file.
  ///   - expecting: the access method the file must have; nil accepts any (`DB_UNKNOWN`).
  ///     A file of another method throws `.wrongType` naming both.
  ///   - maximumItemBytes: the largest key or value a cursor will read.
  /// - Throws: `BerkeleyError` naming `path`; nothing is left open.
  public convenience init(
    path: String, expecting: BerkeleyAccessMethod? = nil,
    maximumItemBytes: Int = BerkeleyDatabase.defaultMaximumItemBytes
  ) throws(BerkeleyError) {
    try self.init(
      source: .path(path), name: path, expecting: expecting, maximumItemBytes: maximumItemBytes)
  }

  /// Opens the file open at `descriptor` read-only, without an environment: libdb reads exactly
  /// that file, never one a path names later.
  ///
  /// libdb opens files by path, so it is given `/proc/self/fd/N`, and this module's hook on
  /// libdb's `open` (`cbdb_open_hook`, for the whole process) answers that with a copy of the
  /// descriptor instead of a new open, which the kernel would check against the process's
  /// permissions again: a process that opened a file and then gave up the privileges it opened
  /// it with (the sandboxed reader) can still read it.
  ///
  /// - Parameters:
  ///   - descriptor: an open descriptor of the file; it stays the caller's to close.
  ///   - name: the file's name in errors (libdb's own messages too).
  ///   - expecting, maximumItemBytes: as for ``init(path:expecting:maximumItemBytes:)``.
  /// - Throws: `BerkeleyError` naming `name`; nothing is left open.
  public convenience init(
    descriptor: Int32, name: String, expecting: BerkeleyAccessMethod? = nil,
    maximumItemBytes: Int = BerkeleyDatabase.defaultMaximumItemBytes
  ) throws(BerkeleyError) {
    precondition(descriptor >= 0, "an open descriptor")
    try self.init(
      source: .descriptor(descriptor), name: name, expecting: expecting,
      maximumItemBytes: maximumItemBytes)
  }

  /// Where the file comes from.
  enum Source {
    case path(String)
    case descriptor(Int32)

    /// What libdb is given to open.
    var openPath: String {
      switch self {
      case .path(let path): path
      case .descriptor(let fd): "/proc/self/fd/\(fd)"
      }
    }
  }

  /// libdb's `open` goes through `cbdb_open_hook` from the first open of a descriptor on.
  private static let openHook: Int32 = cbdb_install_open_hook()

  /// Opens the file `source` gives; `name` names it in errors.
  init(
    source: Source, name: String, expecting: BerkeleyAccessMethod?, maximumItemBytes: Int
  ) throws(BerkeleyError) {
    precondition(maximumItemBytes > 0, "maximumItemBytes must be positive")
    let handle = try BerkeleyHandle(path: name, openedAs: source.openPath)
    switch source {
    case .path(let path):
      try handle.call.check(cbdb_check_regular_file(path), .fileType)
    case .descriptor(let fd):
      try handle.call.check(Self.openHook, .fileType)
      try handle.call.check(cbdb_check_regular_descriptor(fd), .fileType)
    }
    let db = handle.open
    let flags = UInt32(DB_RDONLY) | UInt32(DB_NOMMAP)
    let code = cbdb_open(db, source.openPath, expecting?.dbType ?? DB_UNKNOWN, flags, 0)
    do {
      try handle.call.check(code, .open)
    } catch {
      throw Self.explainWrongType(error, source: source, name: name, expecting: expecting)
    }
    var type = DB_UNKNOWN
    try handle.call.check(cbdb_get_type(db, &type), .getType)
    guard let method = BerkeleyAccessMethod(type) else {
      throw handle.call.corrupt("DB->get_type returned unknown DBTYPE \(type.rawValue)")
    }
    var pageSize: UInt32 = 0
    try handle.call.check(cbdb_get_pagesize(db, &pageSize), .getPageSize)
    var fileSize: Int64 = 0
    try handle.call.check(cbdb_file_size(db, &fileSize), .fileSize)
    try Self.checkMetaCounts(handle, pageSize: pageSize, fileSize: fileSize)
    self.path = name
    self.accessMethod = method
    self.pageSize = pageSize
    self.fileSize = fileSize
    self.maximumItemBytes = maximumItemBytes
    self.handle = handle
  }

  /// Opens a cursor at the first record (`DB->cursor`). Each `next()` returns one record in
  /// stored order: key order for BTREE, bucket order for HASH.
  public func makeCursor() throws(BerkeleyError) -> BerkeleyCursor {
    let cursor = try BerkeleyCursor(database: self)
    cursors.removeAll { $0.cursor == nil }
    cursors.append(WeakCursor(cursor: cursor))
    return cursor
  }

  /// Calls `body` with every record in stored order, one at a time, through a cursor that is
  /// closed before this returns or throws.
  ///
  /// - Throws: a `BerkeleyError`, or whatever `body` throws (which stops the iteration).
  public func forEachRecord(_ body: (BerkeleyRecord) throws -> Void) throws {
    let cursor = try makeCursor()
    do {
      while let record = try cursor.next() { try body(record) }
    } catch {
      cursor.closeIgnoringErrors()
      throw error
    }
    try cursor.close()
  }

  /// Closes open cursors, then the database handle (`DB->close`). Later calls do nothing;
  /// without a call, `deinit` closes it and drops any error.
  public func close() throws(BerkeleyError) {
    for weak in cursors { weak.cursor?.closeIgnoringErrors() }
    cursors = []
    try handle.close()
  }
}

@available(*, unavailable, message: "a Berkeley DB handle belongs to one task at a time")
extension BerkeleyDatabase: Sendable {}

private struct WeakCursor {
  weak var cursor: BerkeleyCursor?
}
