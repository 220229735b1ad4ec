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
  /// Calls `body` with each record of the Berkeley DB file open at `descriptor`, in stored
  /// order; `path` names it. The file is read through that descriptor (it stays the caller's
  /// to close), never opened again by path: what was checked (a regular file, no symlink) is
  /// what libdb reads.
  /// - Throws: ``CyrusDatabaseError`` naming `path` when the file cannot be read to the end;
  ///   whatever `body` throws, unchanged.
  func read(
    descriptor: Int32, path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void
  ) throws
}

extension BerkeleyRecordReader {
  /// Opens `path` (not through a symlink, never blocking on a FIFO: ``FileBytes``) and reads it.
  /// - Throws: ``CyrusDatabaseError`` naming `path`; whatever `body` throws, unchanged.
  public func read(path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void)
    throws
  {
    let file: FileBytes
    do {
      file = try FileBytes(path: path)
    } catch {
      throw CyrusDatabaseError(path: path, kind: kind, reason: error.detail, offset: nil)
    }
    try withExtendedLifetime(file) {
      try read(descriptor: file.descriptor, path: path, kind: kind, body)
    }
  }
}

/// libdb in this process.
public struct InProcessBerkeleyReader: BerkeleyRecordReader {
  /// The reader.
  public init() {}

  public func read(
    descriptor: Int32, path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void
  ) throws {
    do {
      let database = try BerkeleyDatabase(
        descriptor: descriptor, name: path, expecting: kind == .berkeleyHash ? .hash : .btree)
      defer { try? database.close() }
      try database.forEachRecord { record in
        try body(CyrusDBRecord(key: record.key, value: record.value))
      }
    } catch let error as BerkeleyError {
      throw CyrusDatabaseError(path: path, kind: kind, reason: error.description, offset: nil)
    }
  }
}
