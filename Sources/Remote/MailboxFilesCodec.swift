import CyrusStore

/// Carries a ``MailboxFiles`` (mailboxes.db, mailboxlist.txt and the spool rules) over the
/// agent protocol and in saved manifests, so the mailbox-list stage of `verify` runs on a remote
/// or saved side exactly as on a local one.
///
/// One `mailboxFiles` frame: database path, database content kind (0 absent, 1 bytes with a
/// varint size, 2 unreadable with a reason), the same for the dump, `hashimapspool`,
/// `fulldirhash` (one byte each) and `deletedprefix`; then `fileChunk` frames of at most
/// ``chunkBytes`` carrying the database's bytes, then the dump's. Sizes are checked against
/// ``MailboxFiles/sizeLimit`` before anything is kept.
public enum MailboxFilesCodec {
  /// Largest chunk, in bytes (well under ``RemoteLimits/frameBytes``).
  public static let chunkBytes = 4 << 20

  /// The frames for `files`, in order.
  public static func frames(_ files: MailboxFiles) -> [Frame] {
    var out = ByteWriter()
    func describe(_ path: String, _ content: MailboxFiles.Content) {
      out.string(path)
      switch content {
      case .absent: out.byte(0)
      case .bytes(let bytes):
        out.byte(1)
        out.varint(bytes.count)
      case .unreadable(let reason):
        out.byte(2)
        out.string(reason)
      }
    }
    describe(files.databasePath, files.database)
    describe(files.dumpPath, files.dump)
    out.byte(files.hashImapSpool ? 1 : 0)
    out.byte(files.fullDirHash ? 1 : 0)
    out.string(files.deletedPrefix)
    var frames = [Frame(.mailboxFiles, out.bytes)]
    for content in [files.database, files.dump] {
      guard case .bytes(let bytes) = content else { continue }
      var start = 0
      while start < bytes.count {
        let end = min(bytes.count, start + chunkBytes)
        frames.append(Frame(.fileChunk, Array(bytes[start..<end])))
        start = end
      }
    }
    return frames
  }

  /// Reads a ``MailboxFiles`` from its `mailboxFiles` frame and the chunks `next` returns.
  public static func read(_ first: Frame, next: () throws -> Frame) throws -> MailboxFiles {
    guard first.kind == .mailboxFiles else {
      throw RemoteProtocolError(
        .unexpected, offset: first.offset, detail: "expected mailboxFiles, got \(first.kind)")
    }
    var input = first.reader
    func describe() throws -> (path: String, kind: UInt8, size: Int, reason: String) {
      let path = try input.readString("file path")
      let kind = try input.readByte()
      switch kind {
      case 0: return (path, kind, 0, "")
      case 1:
        return (path, kind, try input.readCount(limit: MailboxFiles.sizeLimit, "file size"), "")
      case 2: return (path, kind, 0, try input.readString("reason"))
      default: throw input.error(.unexpected, "file content kind \(kind)")
      }
    }
    let database = try describe()
    let dump = try describe()
    let hashed = try input.readByte() == 1
    let fullHash = try input.readByte() == 1
    let deletedPrefix = try input.readString("deleted prefix")
    func content(_ described: (path: String, kind: UInt8, size: Int, reason: String)) throws
      -> MailboxFiles.Content
    {
      switch described.kind {
      case 0: return .absent
      case 2: return .unreadable(described.reason)
      default:
        var bytes: [UInt8] = []
        while bytes.count < described.size {
          let frame = try next()
          guard frame.kind == .fileChunk, frame.payload.count <= described.size - bytes.count else {
            throw RemoteProtocolError(
              .unexpected, offset: frame.offset, detail: "expected a chunk of \(described.path)")
          }
          bytes += frame.payload
        }
        return .bytes(bytes)
      }
    }
    let databaseContent = try content(database)
    let dumpContent = try content(dump)
    return MailboxFiles(
      databasePath: database.path, database: databaseContent, dumpPath: dump.path,
      dump: dumpContent,
      hashImapSpool: hashed, fullDirHash: fullHash, deletedPrefix: deletedPrefix)
  }
}
