import BerkeleyDB
import CyrusFormats

/// Reads the records of one Berkeley DB file (mailboxes.db, a seen database of Cyrus 2.x).
///
/// libdb 5.3 is not memory-safe on damaged files: the executable passes one that reads in a
/// child process (`Remote`'s `BerkeleyChildReader`); library code and tests may read in this
/// process (``InProcessBerkeleyReader``). It is a value handed down to whatever opens a
/// database (``WalkOptions/berkeleyReader``, ``MailboxList/read(path:backend:deletedPrefix:berkeley:)``),
/// never a setting of the process.
public protocol BerkeleyRecordReader: Sendable {
  /// Calls `body` with each record in stored order.
  /// - Throws: ``CyrusDatabaseError`` naming `path` when the file cannot be read to the end;
  ///   whatever `body` throws, unchanged.
  func read(path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void) throws
}

/// libdb in this process.
public struct InProcessBerkeleyReader: BerkeleyRecordReader {
  /// The reader.
  public init() {}

  public func read(path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void)
    throws
  {
    do {
      let database = try BerkeleyDatabase(
        path: path, expecting: kind == .berkeleyHash ? .hash : .btree)
      defer { try? database.close() }
      try database.forEachRecord { record in
        try body(CyrusDBRecord(key: record.key, value: record.value))
      }
    } catch let error as BerkeleyError {
      throw CyrusDatabaseError(path: path, kind: kind, reason: error.description, offset: nil)
    }
  }
}
