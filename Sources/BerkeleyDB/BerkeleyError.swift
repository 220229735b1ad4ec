/// A failed Berkeley DB call or a failed integrity check on a Berkeley DB file.
///
/// Every libdb return code goes through one check function (`BerkeleyCall.check`), which builds
/// this value from the code, `db_strerror`, the messages libdb sent to its error callback, the
/// path and the operation. libdb never writes to this process's stderr or stdout.
public struct BerkeleyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// What went wrong, in words a caller can act on.
  public enum Kind: String, Sendable, Hashable {
    /// The file does not exist (`ENOENT`).
    case notFound
    /// The file or a directory above it may not be read (`EACCES`, `EPERM`).
    case permissionDenied
    /// Opening failed for another system reason, for example the path is a directory (`EISDIR`).
    case openFailed
    /// The file is not a Berkeley DB database: empty, text, or a damaged meta page
    /// (libdb: `EINVAL`, "unexpected file type or format").
    case notADatabase
    /// The file is a database of another access method than the one requested.
    case wrongType
    /// The file needs `db_upgrade` from an older Berkeley DB (`DB_OLD_VERSION`).
    case unsupportedVersion
    /// The file's structure is damaged: a page is missing or malformed, the meta page disagrees
    /// with the file size, or the records come back out of order or without end.
    case corrupt
    /// A key or value is larger than the reader's limit.
    case recordTooLarge
    /// Reading or writing failed (`EIO` and other system errors after opening).
    case io
    /// Anything else libdb returned.
    case other
  }

  /// What went wrong.
  public var kind: Kind
  /// The libdb return code: an errno value or one of `DB_*` in `db.h` (negative). Integrity
  /// checks of this module report `DB_VERIFY_BAD` (-30970).
  public var code: Int32
  /// `db_strerror(code)`.
  public var message: String
  /// The database file.
  public var path: String
  /// The call that failed, for example `DB->open` or `DBC->get`.
  public var operation: String
  /// Messages libdb sent to its error callback during the call, then this module's own
  /// explanation, if any; at most `BerkeleyMessageLog.capacity` entries.
  public var details: [String]

  /// Makes an error value; the module builds these, callers only read them.
  public init(
    kind: Kind, code: Int32, message: String, path: String, operation: String,
    details: [String] = []
  ) {
    self.kind = kind
    self.code = code
    self.message = message
    self.path = path
    self.operation = operation
    self.details = details
  }

  public var description: String {
    var text = "\(path): \(operation) failed (\(kind.rawValue), \(code)): \(message)"
    if !details.isEmpty { text += " [" + details.joined(separator: "; ") + "]" }
    return text
  }
}
