import CyrusFormats
import Foundation

extension CyrusDatabaseFile {
  /// Reads one Berkeley DB file somewhere other than this process: calls `body` with each record
  /// in stored order, and throws ``CyrusDatabaseError`` naming `path` when the file cannot be
  /// read to the end. Errors `body` throws pass through unchanged.
  public typealias BerkeleyReader =
    @Sendable (
      _ path: String, _ kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void
    ) throws -> Void

  /// The reader for Berkeley DB files, or nil to read them with libdb in this process (the
  /// default, and what the library tests use). libdb 5.3 is not memory-safe on damaged files,
  /// so the executable installs one that reads in a child process; this module starts none.
  public static var berkeleyReader: BerkeleyReader? { BerkeleyReaderSlot.shared.reader }

  /// Installs the reader for Berkeley DB files, once per process, before any file is read.
  public static func installBerkeleyReader(_ reader: @escaping BerkeleyReader) {
    BerkeleyReaderSlot.shared.install(reader)
  }
}

/// Holds the process's ``CyrusDatabaseFile/BerkeleyReader``: set at most once, read from any
/// thread (walks read seen databases on their hashing threads).
final class BerkeleyReaderSlot: @unchecked Sendable {
  static let shared = BerkeleyReaderSlot()
  private let lock = NSLock()
  private var stored: CyrusDatabaseFile.BerkeleyReader?

  var reader: CyrusDatabaseFile.BerkeleyReader? {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }

  func install(_ reader: @escaping CyrusDatabaseFile.BerkeleyReader) {
    lock.lock()
    defer { lock.unlock() }
    precondition(stored == nil, "the Berkeley DB reader is installed once per process")
    stored = reader
  }
}
