import CyrusStore

/// Carries a ``MailboxFiles`` (mailboxes.db, mailboxlist.txt and the spool rules) over the
/// agent protocol and in saved manifests, so the mailbox-list stage of `verify` runs on a remote
/// or saved side exactly as on a local one.
///
/// One `mailboxFiles` frame: database path, database content kind (0 absent, 1 bytes with a
/// varint size, 2 unreadable with a reason), the same for the dump, `hashimapspool`,
/// `fulldirhash` (one byte each) and `deletedprefix`; then `fileChunk` frames carrying the
/// database's bytes, then the dump's: each exactly ``chunkBytes`` long but the last of a file,
/// which holds the rest. Sizes are checked against ``MailboxFiles/sizeLimit`` before anything is
/// kept, and the bytes received go to an unnamed temporary file, a chunk at a time: memory never
/// holds more than one chunk of either file.
public enum MailboxFilesCodec {
  /// Size of every chunk but a file's last, in bytes (well under ``RemoteLimits/frameBytes``).
  public static let chunkBytes = 4 << 20

  /// Calls `body` with the frames for `files`, in order, one chunk in memory at a time.
  public static func forEachFrame(_ files: MailboxFiles, _ body: (Frame) throws -> Void) throws {
    var out = ByteWriter()
    func describe(_ path: String, _ content: MailboxFiles.Content) {
      out.string(path)
      switch content {
      case .absent: out.byte(0)
      case .bytes, .file:
        out.byte(1)
        out.varint(content.size ?? 0)
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
    try body(Frame(.mailboxFiles, out.bytes))
    for content in [files.database, files.dump] {
      try content.forEachChunk(size: chunkBytes) { try body(Frame(.fileChunk, $0)) }
    }
  }

  /// Reads a ``MailboxFiles`` from its `mailboxFiles` frame and the chunks `next` returns.
  /// - Throws: ``RemoteProtocolError`` for a chunk of the wrong size (an empty one too: every
  ///   chunk must bring the file nearer its end) or another frame where a chunk belongs;
  ///   ``CyrusStoreError`` when the temporary file cannot be written.
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
    guard input.isAtEnd else { throw input.error(.corrupt, "bytes after the mailbox files") }
    func content(_ described: (path: String, kind: UInt8, size: Int, reason: String)) throws
      -> MailboxFiles.Content
    {
      switch described.kind {
      case 0: return .absent
      case 2: return .unreadable(described.reason)
      default:
        let writer = try TemporaryCopyWriter()
        while writer.count < described.size {
          let frame = try next()
          let expected = min(chunkBytes, described.size - writer.count)
          guard frame.kind == .fileChunk else {
            throw RemoteProtocolError(
              .unexpected, offset: frame.offset,
              detail: "expected a chunk of \(described.path), got \(frame.kind)")
          }
          guard frame.payload.count == expected else {
            throw RemoteProtocolError(
              .corrupt, offset: frame.offset,
              detail: "a chunk of \(described.path) of \(frame.payload.count) bytes; "
                + "\(expected) expected")
          }
          try writer.write(frame.payload[...])
        }
        return .file(writer.finish())
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
