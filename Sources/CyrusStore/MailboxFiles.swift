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
    /// Its bytes, in memory (small values made in code).
    case bytes([UInt8])
    /// Its bytes, in an unnamed temporary file: what is read from disk, from an agent or from
    /// a saved manifest, so that a file of up to ``MailboxFiles/sizeLimit`` is never held whole
    /// in memory.
    case file(TemporaryCopy)
    /// It exists but could not be read: the reason.
    case unreadable(String)

    /// The size of the bytes held, or `nil` when there are none.
    public var size: Int? {
      switch self {
      case .bytes(let bytes): bytes.count
      case .file(let copy): copy.count
      case .absent, .unreadable: nil
      }
    }

    /// Calls `body` with the bytes held, in order, `size` bytes at a time (the last chunk may
    /// be shorter; nothing for a file that is absent or unreadable).
    public func forEachChunk(
      size: Int = TemporaryCopy.chunkBytes, _ body: ([UInt8]) throws -> Void
    ) throws {
      precondition(size > 0, "chunks have bytes")
      switch self {
      case .bytes(let bytes):
        var start = 0
        while start < bytes.count {
          let end = start + min(size, bytes.count - start)
          try body(Array(bytes[start..<end]))
          start = end
        }
      case .file(let copy): try copy.forEachChunk(size: size, body)
      case .absent, .unreadable: return
      }
    }

    /// Equal when both hold the same bytes, in memory or in a file, or are both absent, or
    /// both unreadable for the same reason.
    public static func == (lhs: Content, rhs: Content) -> Bool {
      switch (lhs, rhs) {
      case (.absent, .absent): true
      case (.unreadable(let left), .unreadable(let right)): left == right
      case (.bytes(let left), .bytes(let right)): left == right
      case (.file(let left), .file(let right)): left.holdsSameBytes(as: right)
      case (.file(let copy), .bytes(let bytes)), (.bytes(let bytes), .file(let copy)):
        copy.holds(bytes)
      default: false
      }
    }
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
      databasePath: instance.mailboxesDBPath,
      database: read(instance.mailboxesDBPath, root: instance.root),
      dumpPath: instance.mailboxListDumpPath,
      dump: read(instance.mailboxListDumpPath, root: instance.root),
      hashImapSpool: instance.hashImapSpool, fullDirHash: instance.fullDirHash,
      deletedPrefix: instance.deletedPrefix)
  }

  /// Reads one of the files into an unnamed temporary file, a chunk at a time: not through a
  /// symlink, not a FIFO, not out of `root`.
  static func read(_ path: String, root: String?) -> Content {
    do {
      return .file(try SystemFiles.copyFile(path, limit: sizeLimit, root: root))
    } catch let error where error.kind == .notFound {
      return .absent
    } catch {
      return .unreadable(error.description)
    }
  }

  /// The spool rule these files come with.
  public var location: SpoolLocation { SpoolLocation(hashed: hashImapSpool, fullHash: fullDirHash) }

  /// The mailbox list in `database`, read with the backend its magic shows; errors name
  /// ``databasePath``. The bytes go through an unlinked temporary file (``TemporaryCopy``):
  /// nothing is left in /tmp if the process is killed meanwhile.
  public func mailboxList(berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()) throws
    -> MailboxList
  {
    switch database {
    case .absent:
      throw CyrusStoreError(.notFound, path: databasePath, detail: "no mailboxes.db")
    case .unreadable(let reason):
      throw CyrusStoreError(.system, path: databasePath, detail: reason)
    case .bytes(let bytes):
      return try mailboxList(in: TemporaryCopy(bytes), berkeley: berkeley)
    case .file(let copy):
      return try mailboxList(in: copy, berkeley: berkeley)
    }
  }

  private func mailboxList(in copy: TemporaryCopy, berkeley: any BerkeleyRecordReader) throws
    -> MailboxList
  {
    let kind = CyrusDBKind.detect(try copy.bytes(at: 0, count: CyrusDBKind.prefixLength))
    // A Berkeley DB file goes to libdb (or its child process) as the copy's own descriptor.
    let file = try CyrusDatabaseFile(
      file: copy.fileBytes(path: databasePath), path: databasePath, backend: kind,
      berkeley: berkeley)
    return try withExtendedLifetime(copy) {
      do {
        return try MailboxList.read(file, deletedPrefix: deletedPrefix)
      } catch var error as CyrusDatabaseError {
        error.path = databasePath
        throw error
      }
    }
  }
}
