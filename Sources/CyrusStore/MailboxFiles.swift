import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The small files of an instance that its mailbox list is judged from — mailboxes.db and the
/// dump `mailboxlist.txt` — read whole, with the spool rules needed to place mailboxes. One
/// value, so that a remote agent and a saved manifest can carry the same thing a local side
/// reads (sizes are one record per mailbox, never per message).
public struct MailboxFiles: Sendable, Equatable {
  /// What one file held.
  public enum Content: Sendable, Equatable {
    /// The file does not exist.
    case absent
    /// Its bytes.
    case bytes([UInt8])
    /// It exists but could not be read: the reason.
    case unreadable(String)
  }

  /// Largest file carried, in bytes.
  public static let sizeLimit = 1 << 30

  /// Where mailboxes.db is on its host (for messages).
  public var databasePath: String
  /// mailboxes.db.
  public var database: Content
  /// Where mailboxlist.txt is on its host.
  public var dumpPath: String
  /// mailboxlist.txt.
  public var dump: Content
  /// `hashimapspool`.
  public var hashImapSpool: Bool
  /// `fulldirhash`.
  public var fullDirHash: Bool
  /// `deletedprefix`.
  public var deletedPrefix: String

  /// Makes a value.
  public init(
    databasePath: String, database: Content, dumpPath: String, dump: Content, hashImapSpool: Bool,
    fullDirHash: Bool, deletedPrefix: String
  ) {
    self.databasePath = databasePath
    self.database = database
    self.dumpPath = dumpPath
    self.dump = dump
    self.hashImapSpool = hashImapSpool
    self.fullDirHash = fullDirHash
    self.deletedPrefix = deletedPrefix
  }

  /// Reads the files of a local instance.
  public static func collect(_ instance: CyrusInstance) -> MailboxFiles {
    MailboxFiles(
      databasePath: instance.mailboxesDBPath, database: read(instance.mailboxesDBPath),
      dumpPath: instance.mailboxListDumpPath, dump: read(instance.mailboxListDumpPath),
      hashImapSpool: instance.hashImapSpool, fullDirHash: instance.fullDirHash,
      deletedPrefix: instance.deletedPrefix)
  }

  static func read(_ path: String) -> Content {
    do {
      return .bytes(try SystemFiles.readFile(path, limit: sizeLimit))
    } catch let error where error.kind == .notFound {
      return .absent
    } catch {
      return .unreadable(error.description)
    }
  }

  /// The spool rule these files come with.
  public var location: SpoolLocation { SpoolLocation(hashed: hashImapSpool, fullHash: fullDirHash) }

  /// The mailbox list in `database`, read with the backend its magic shows. Berkeley DB needs a
  /// file, so the bytes go through a private temporary file, read by `berkeley`; errors name
  /// ``databasePath``.
  public func mailboxList(berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()) throws
    -> MailboxList
  {
    switch database {
    case .absent:
      throw CyrusStoreError(.notFound, path: databasePath, detail: "no mailboxes.db")
    case .unreadable(let reason):
      throw CyrusStoreError(.system, path: databasePath, detail: reason)
    case .bytes(let bytes):
      var template = Array("/tmp/cyrus-failover-mailboxes-XXXXXX".utf8CString)
      let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
        guard let base = buffer.baseAddress else { return -1 }
        return mkstemp(base)
      }
      guard fd >= 0 else {
        throw CyrusStoreError(
          .system, path: "/tmp", detail: "cannot make a temporary file: \(SystemFiles.errorText())")
      }
      let temporary = template.withUnsafeBufferPointer { buffer in
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
      }
      defer {
        close(fd)
        unlink(temporary)
      }
      var written = 0
      while written < bytes.count {
        let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard count > 0 else {
          throw CyrusStoreError(
            .system, path: temporary, detail: "cannot write: \(SystemFiles.errorText())")
        }
        written += count
      }
      do {
        return try MailboxList.read(
          path: temporary, deletedPrefix: deletedPrefix, berkeley: berkeley)
      } catch var error as CyrusDatabaseError {
        error.path = databasePath
        throw error
      }
    }
  }
}
