internal import CBerkeleyDB

/// The one owner of a libdb `DB` handle: `db_create` in `init`, `DB->close` exactly once, in
/// `close()` or else in `deinit` — also when `DB->open` failed, as libdb requires.
///
/// The handle has no environment: libdb gives it a private one, so no `__db.*` region files
/// are read or made.
final class BerkeleyHandle {
  let call: BerkeleyCall
  /// The libdb handle; nil once closed.
  private(set) var db: UnsafeMutablePointer<DB>?

  /// Creates the handle for the file `path` names in errors, which libdb opens as `openedAs`
  /// (its messages then say `path` where they would say `openedAs`).
  init(path: String, openedAs: String? = nil) throws(BerkeleyError) {
    let log = BerkeleyMessageLog(renaming: openedAs.map { ($0, path) })
    call = BerkeleyCall(path: path, log: log)
    var created: UnsafeMutablePointer<DB>?
    try call.check(cbdb_create(&created), .create)
    guard let created else {
      preconditionFailure("db_create returned 0 without a handle")
    }
    db = created
    log.attach(to: created)
  }

  deinit {
    // Errors cannot be reported here; `close()` reports them.
    if let db { _ = cbdb_close(db) }
  }

  /// The open handle; calling this after `close()` is a bug in this module.
  var open: UnsafeMutablePointer<DB> {
    guard let db else { preconditionFailure("Berkeley DB handle used after close") }
    return db
  }

  /// Closes the handle (`DB->close`); later calls do nothing.
  func close() throws(BerkeleyError) {
    guard let db else { return }
    self.db = nil
    try call.check(cbdb_close(db), .close)
  }
}
