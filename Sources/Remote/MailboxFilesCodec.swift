import CyrusStore

/// Carries a ``MailboxFiles`` (mailboxes.db, mailboxlist.txt and the spool rules) over the
/// agent protocol and in saved manifests, so the mailbox-list stage of `verify` runs on a remote
/// or saved side exactly as on a local one.
///
/// One `mailboxFiles` frame: database path, database content kind (0 absent, 1 bytes with a
/// varint size, 2 unreadable with a reason, 3 the file the local side offered in `open`, with
/// its varint size and SHA-256 again: no bytes follow), the same for the dump, `hashimapspool`,
/// `fulldirhash` (one byte each) and `deletedprefix`; then `fileChunk` frames carrying the
/// database's bytes, then the dump's: each exactly ``chunkBytes`` long but the last of a file,
/// which holds the rest. Sizes are checked against ``MailboxFiles/sizeLimit`` before anything is
/// kept, and the bytes received go to an unnamed temporary file, a chunk at a time: memory never
/// holds more than one chunk of either file.
public enum MailboxFilesCodec {
  /// Size of every chunk but a file's last, in bytes (well under ``RemoteLimits/frameBytes``).
  public static let chunkBytes = 4 << 20

  /// Calls `body` with the frames for `files`, in order, one chunk in memory at a time. A file
  /// whose size and SHA-256 are those `offered` names is described as that one, and its bytes
  /// are not sent.
  public static func forEachFrame(
    _ files: MailboxFiles, offered: OfferedDigests = .init(), _ body: (Frame) throws -> Void
  ) throws {
    var out = ByteWriter()
    var sent: [MailboxFiles.Content] = []
    func describe(_ path: String, _ content: MailboxFiles.Content, _ offer: FileDigest?) throws {
      out.string(path)
      if let offer, content.size == offer.size, let own = try FileDigest(of: content),
        own == offer
      {
        out.byte(3)
        own.write(to: &out)
        return
      }
      sent.append(content)
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
    try describe(files.databasePath, files.database, offered.database)
    try describe(files.dumpPath, files.dump, offered.dump)
    out.byte(files.hashImapSpool ? 1 : 0)
    out.byte(files.fullDirHash ? 1 : 0)
    out.string(files.deletedPrefix)
    try body(Frame(.mailboxFiles, out.bytes))
    for content in sent {
      try content.forEachChunk(size: chunkBytes) { try body(Frame(.fileChunk, $0)) }
    }
  }

  /// Reads a ``MailboxFiles`` from its `mailboxFiles` frame and the chunks `next` returns; a
  /// file described as the one offered is `offer`'s content.
  /// - Throws: ``RemoteProtocolError`` for a chunk of the wrong size (an empty one too: every
  ///   chunk must bring the file nearer its end) or another frame where a chunk belongs, or a
  ///   file said to be the one offered that was not offered (or not with that digest);
  ///   ``CyrusStoreError`` when the temporary file cannot be written.
  public static func read(
    _ first: Frame, offer: MailboxFileOffer = .init(), next: () throws -> Frame
  ) throws -> MailboxFiles {
    guard first.kind == .mailboxFiles else {
      throw RemoteProtocolError(
        .unexpected, offset: first.offset, detail: "expected mailboxFiles, got \(first.kind)")
    }
    var input = first.reader
    typealias Described = (
      path: String, kind: UInt8, size: Int, reason: String, offered: MailboxFiles.Content?
    )
    func describe(_ offered: (content: MailboxFiles.Content, digest: FileDigest)?) throws
      -> Described
    {
      let path = try input.readString("file path")
      let kind = try input.readByte()
      switch kind {
      case 0: return (path, kind, 0, "", nil)
      case 1:
        let size = try input.readCount(limit: MailboxFiles.sizeLimit, "file size")
        return (path, kind, size, "", nil)
      case 2: return (path, kind, 0, try input.readString("reason"), nil)
      case 3:
        let digest = try FileDigest(from: &input, "offered file")
        guard let offered, offered.digest == digest else {
          throw input.error(.corrupt, "\(path) said to be the file offered, which it is not")
        }
        return (path, kind, digest.size, "", offered.content)
      default: throw input.error(.unexpected, "file content kind \(kind)")
      }
    }
    let database = try describe(offer.database)
    let dump = try describe(offer.dump)
    let hashed = try input.readByte() == 1
    let fullHash = try input.readByte() == 1
    let deletedPrefix = try input.readString("deleted prefix")
    guard input.isAtEnd else { throw input.error(.corrupt, "bytes after the mailbox files") }
    func content(_ described: Described) throws -> MailboxFiles.Content {
      switch described.kind {
      case 0: return .absent
      case 2: return .unreadable(described.reason)
      case 3: return described.offered ?? .absent
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
