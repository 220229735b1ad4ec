import CyrusStore
import Foundation

/// A saved manifest: one side's entries in canonical order, written by `cyrus-failover
/// manifest` and read back in place of a live side.
///
/// The file is `CYFOMAN\n`, then frames (``Frame``): one `manifestHeader` (format version, tool
/// version, level, runtime flag, creation time, the instance), `manifestEntries` batches of at
/// most ``RemoteLimits/manifestBatchEntries`` entries (each batch from a fresh
/// ``EntryEncoder``, so paths are prefix-compressed), and a `manifestTrailer` with the entry
/// count. A file without its trailer is truncated and refused.
public enum ManifestFile {
  /// First bytes of every saved manifest.
  public static let magic: [UInt8] = Array("CYFOMAN\n".utf8)
  /// The format version written; a reader accepts only this one.
  public static let formatVersion: UInt64 = 4

  /// What a saved manifest says about itself.
  public struct Header: Sendable, Equatable {
    public var toolVersion: String
    public var level: VerifyLevel
    public var includeRuntime: Bool
    /// Seconds since the epoch when it was written.
    public var created: Int64
    /// Where it came from (`host:` prefixed for a remote instance).
    public var origin: String
    public var instance: InstanceDescription

    public init(
      toolVersion: String, level: VerifyLevel, includeRuntime: Bool, created: Int64, origin: String,
      instance: InstanceDescription
    ) {
      self.toolVersion = toolVersion
      self.level = level
      self.includeRuntime = includeRuntime
      self.created = created
      self.origin = origin
      self.instance = instance
    }

    var frame: Frame {
      var out = ByteWriter()
      out.varint(ManifestFile.formatVersion)
      out.string(toolVersion)
      out.byte(level.code)
      out.byte(includeRuntime ? 1 : 0)
      out.varint(UInt64(max(0, created)))
      out.string(origin)
      instance.write(to: &out)
      return Frame(.manifestHeader, out.bytes)
    }

    init(_ frame: Frame) throws(RemoteProtocolError) {
      var input = frame.reader
      let version = try input.readVarint()
      guard version == ManifestFile.formatVersion else {
        throw input.error(
          .unexpected,
          "manifest format version \(version); this build reads \(ManifestFile.formatVersion)")
      }
      toolVersion = try input.readString("tool version")
      let levelCode = try input.readByte()
      guard let decoded = VerifyLevel(code: levelCode) else {
        throw input.error(.unexpected, "unknown level \(levelCode)")
      }
      level = decoded
      includeRuntime = try input.readByte() == 1
      created = Int64(clamping: try input.readVarint())
      origin = try input.readString("origin")
      instance = try InstanceDescription(from: &input)
    }
  }
}

/// Streams entries into a saved manifest.
public final class ManifestWriter {
  private let channel: ByteChannel
  private var batch = ByteWriter()
  private var encoder = EntryEncoder()
  private var batchCount = 0
  /// Entries written so far.
  public private(set) var entries = 0

  /// Writes the magic, the header and the instance's mailbox files to `fd` (which the caller
  /// owns).
  public init(fd: Int32, header: ManifestFile.Header, mailboxFiles: MailboxFiles) throws {
    channel = ByteChannel(input: -1, output: fd)
    channel.sendRaw(ManifestFile.magic)
    try channel.send(header.frame)
    try MailboxFilesCodec.forEachFrame(mailboxFiles) { try channel.send($0) }
  }

  /// Bytes written so far.
  public var bytesWritten: Int { channel.bytesSent }

  /// Appends one entry (in the order given: a reader checks the order, the writer does not).
  public func append(_ entry: ManifestEntry) throws {
    encoder.encode(entry, into: &batch)
    batchCount += 1
    entries += 1
    if batchCount >= RemoteLimits.manifestBatchEntries
      || batch.bytes.count >= RemoteLimits.segmentBytes
    {
      try flushBatch()
    }
  }

  private func flushBatch() throws {
    guard batchCount > 0 else { return }
    var out = ByteWriter()
    out.varint(batchCount)
    out.raw(batch.bytes)
    try channel.send(Frame(.manifestEntries, out.bytes))
    batch = ByteWriter()
    encoder = EntryEncoder()
    batchCount = 0
  }

  /// Writes the last batch and the trailer, and flushes.
  public func finish() throws {
    try flushBatch()
    var out = ByteWriter()
    out.varint(entries)
    try channel.send(Frame(.manifestTrailer, out.bytes))
    try channel.flush()
  }
}

/// Reads a saved manifest as a ``ManifestSource``. Order is not checked here: the diff reports
/// out-of-order entries as findings.
public final class ManifestReader: ManifestSource {
  /// The file's header.
  public let header: ManifestFile.Header
  /// The instance's mailboxes.db, mailboxlist.txt and spool rules when the manifest was made.
  public let mailboxFiles: MailboxFiles
  /// The file name, for messages.
  public let path: String
  private let channel: ByteChannel
  private let handle: FileHandle
  private var batch: [ManifestEntry] = []
  private var position = 0
  private var entries = 0
  private var done = false

  /// Opens `path` and reads its header.
  public init(path: String) throws {
    self.path = path
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw RemoteError(.manifest, "\(path): cannot open the saved manifest")
    }
    self.handle = handle
    channel = ByteChannel(input: handle.fileDescriptor, output: -1)
    do {
      if try channel.readMagic(ManifestFile.magic) != nil {
        throw RemoteError(
          .manifest, "\(path): not a cyrus-failover manifest (made with `cyrus-failover manifest`)")
      }
      guard let first = try channel.receive(), first.kind == .manifestHeader else {
        throw RemoteError(.manifest, "\(path): the manifest has no header")
      }
      header = try ManifestFile.Header(first)
      guard let files = try channel.receive() else {
        throw RemoteError(
          .manifest, "\(path): the manifest is truncated (no mailbox files after the header)")
      }
      let channel = self.channel
      mailboxFiles = try MailboxFilesCodec.read(files) {
        guard let frame = try channel.receive() else {
          throw RemoteError(
            .manifest, "\(path): the manifest is truncated inside its mailbox files")
        }
        return frame
      }
    } catch let error as RemoteProtocolError {
      throw RemoteError(.manifest, "\(path): \(error)")
    }
  }

  deinit { try? handle.close() }

  public func next() throws -> ManifestEntry? {
    while position == batch.count {
      guard !done else { return nil }
      do {
        try readFrame()
      } catch let error as RemoteProtocolError {
        throw RemoteError(.manifest, "\(path): \(error)")
      }
    }
    defer { position += 1 }
    return batch[position]
  }

  private func readFrame() throws {
    guard let frame = try channel.receive() else {
      throw RemoteError(
        .manifest, "\(path): the manifest is truncated (no trailer after \(entries) entries)")
    }
    var input = frame.reader
    switch frame.kind {
    case .manifestEntries:
      let count = try input.readCount(limit: RemoteLimits.manifestBatchEntries, "batch entry count")
      let start = input.position
      batch = try EntryDecoder.decodeAll(
        input.readRest(), baseOffset: frame.offset + start, count: count)
      position = 0
      entries += count
    case .manifestTrailer:
      let total = try input.readCount(limit: Int.max, "entry total")
      guard total == entries else {
        throw RemoteError(
          .manifest, "\(path): the trailer counts \(total) entries, the file holds \(entries)")
      }
      done = true
    default:
      throw RemoteProtocolError(
        .unexpected, offset: frame.offset, detail: "\(frame.kind) inside a manifest")
    }
  }
}
