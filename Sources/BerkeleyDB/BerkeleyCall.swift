internal import CBerkeleyDB

/// The calls this module makes, named as in libdb's documentation, for `BerkeleyError.operation`.
enum BerkeleyOperation: String {
  /// `stat(2)` before `DB->open`: only regular files are opened.
  case fileType = "stat"
  case create = "db_create"
  case open = "DB->open"
  case close = "DB->close"
  case getType = "DB->get_type"
  case getPageSize = "DB->get_pagesize"
  case setPageSize = "DB->set_pagesize"
  case stat = "DB->stat"
  case fileSize = "DB->fd+fstat"
  case put = "DB->put"
  case cursor = "DB->cursor"
  case cursorGet = "DBC->get"
  case cursorClose = "DBC->close"
  /// A check this module makes on what libdb returned (page counts, key order, record count).
  case integrity = "integrity check"
}

/// The context of libdb calls on one file: turns every return code into success or a
/// `BerkeleyError` in one place (GRDB's pattern).
struct BerkeleyCall {
  let path: String
  let log: BerkeleyMessageLog

  /// Returns `code` when it is 0 or one of `accepting`; otherwise throws the error for it.
  @discardableResult
  func check(_ code: Int32, _ operation: BerkeleyOperation, accepting: [Int32] = [])
    throws(BerkeleyError) -> Int32
  {
    let details = log.take()
    if code == 0 || accepting.contains(code) { return code }
    throw error(code, operation, details: details)
  }

  /// The error for `code`; used by `check` and for failures this module detects itself.
  func error(_ code: Int32, _ operation: BerkeleyOperation, details: [String] = [])
    -> BerkeleyError
  {
    BerkeleyError(
      kind: Self.kind(of: code, operation), code: code, message: Self.describe(code), path: path,
      operation: operation.rawValue, details: details)
  }

  /// An integrity failure found by this module, reported with libdb's `DB_VERIFY_BAD`.
  func corrupt(_ explanation: String) -> BerkeleyError {
    var error = error(DB_VERIFY_BAD, .integrity, details: log.take() + [explanation])
    error.kind = .corrupt
    return error
  }

  static func describe(_ code: Int32) -> String {
    guard let text = db_strerror(code) else { return "error \(code)" }
    return String(cString: text)
  }

  static func kind(of code: Int32, _ operation: BerkeleyOperation) -> BerkeleyError.Kind {
    switch code {
    case ENOENT: return .notFound
    case EACCES, EPERM: return .permissionDenied
    case DB_OLD_VERSION: return .unsupportedVersion
    case DB_VERIFY_BAD, DB_PAGE_NOTFOUND, DB_RUNRECOVERY, DB_KEYEMPTY: return .corrupt
    case DB_BUFFER_SMALL: return .recordTooLarge
    case EINVAL:
      // At open, EINVAL means libdb did not recognise the meta page ("unexpected file type or
      // format", also for a wrong requested type, told apart by the caller). Later it means a
      // page libdb could not make sense of.
      return operation == .open ? .notADatabase : .corrupt
    case EIO: return .io
    case 1...Int32.max:  // other errno values: libdb's own codes are negative (db.h)
      return operation == .open || operation == .fileType ? .openFailed : .io
    default: return .other
    }
  }
}
