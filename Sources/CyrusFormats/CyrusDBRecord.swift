/// One key/value pair of a cyrusdb database, as raw bytes (neither is NUL-terminated on disk).
public struct CyrusDBRecord: Hashable, Sendable {
  public var key: [UInt8]
  public var value: [UInt8]
  /// Offset of the record in the file (for flat files: of its line), for error context.
  public var offset: Int

  public init(key: [UInt8], value: [UInt8], offset: Int = 0) {
    self.key = key
    self.value = value
    self.offset = offset
  }

  /// Equality of content only; the offset is context.
  public static func == (a: Self, b: Self) -> Bool { a.key == b.key && a.value == b.value }
  public func hash(into h: inout Hasher) {
    h.combine(key)
    h.combine(value)
  }
}

/// What a completed scan found besides the records themselves.
public struct CyrusDBScanSummary: Hashable, Sendable {
  /// Number of records passed to the body.
  public var recordCount: Int
  /// Non-fatal problems, in the order found, at most ``maxWarnings``; ``droppedWarnings``
  /// counts the rest.
  public var warnings: [CyrusDBError]
  public var droppedWarnings: Int

  /// Cap on stored warnings, so a badly damaged file cannot exhaust memory.
  public static let maxWarnings = 100

  public init(recordCount: Int = 0, warnings: [CyrusDBError] = [], droppedWarnings: Int = 0) {
    self.recordCount = recordCount
    self.warnings = warnings
    self.droppedWarnings = droppedWarnings
  }

  mutating func warn(_ warning: CyrusDBError) {
    if warnings.count < Self.maxWarnings { warnings.append(warning) } else { droppedWarnings += 1 }
  }
}

/// The common interface of the cyrusdb readers.
///
/// `forEachRecord` streams the database's live records in key order as stored. Damage that
/// makes the rest of the file untrustworthy is thrown as ``CyrusDBError``; an error thrown by
/// `body` is passed through unchanged. Non-fatal problems come back in the summary.
public protocol CyrusDBReader {
  @discardableResult
  func forEachRecord(_ body: (CyrusDBRecord) throws -> Void) throws -> CyrusDBScanSummary
}

extension CyrusDBReader {
  /// All records in an array (tests and small files only; readers themselves stream).
  public func allRecords() throws -> (records: [CyrusDBRecord], summary: CyrusDBScanSummary) {
    var records: [CyrusDBRecord] = []
    let summary = try forEachRecord { records.append($0) }
    return (records, summary)
  }
}

/// Limits on lengths read from disk, checked before anything is allocated.
public enum CyrusDBLimits {
  /// Largest key accepted. Unit: bytes. Mailbox names are at most 490 bytes
  /// (`MAX_MAILBOX_NAME`, imap/mailbox.h); seen keys are uniqueids.
  public static let maxKeyLength = 64 * 1024
  /// Largest value accepted. Unit: bytes. Cyrus values here are small (mailboxes.db entries,
  /// seen sequences); 64 MiB leaves room for huge seen lists.
  public static let maxValueLength = 64 * 1024 * 1024
}
