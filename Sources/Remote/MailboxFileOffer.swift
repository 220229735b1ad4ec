import Crypto
import CyrusStore

/// A file's size and SHA-256: how the local side names a mailbox file it already holds, and how
/// the agent says its own file is that one (protocol 7).
public struct FileDigest: Sendable, Equatable {
  /// Bytes in the file (at most ``MailboxFiles/sizeLimit``).
  public var size: Int
  /// SHA-256 of the bytes, 32 bytes.
  public var sha256: [UInt8]

  public init(size: Int, sha256: [UInt8]) {
    self.size = size
    self.sha256 = sha256
  }

  /// The digest of `content`'s bytes, read a chunk at a time; `nil` when it holds none (absent
  /// or unreadable).
  public init?(of content: MailboxFiles.Content) throws {
    guard let size = content.size else { return nil }
    var hasher = SHA256()
    try content.forEachChunk { hasher.update(data: $0) }
    self.init(size: size, sha256: Array(hasher.finalize()))
  }

  /// Bytes of a SHA-256.
  static let sha256Bytes = 32

  func write(to out: inout ByteWriter) {
    out.varint(size)
    out.raw(sha256)
  }

  init(from input: inout ByteReader, _ what: String) throws(RemoteProtocolError) {
    size = try input.readCount(limit: MailboxFiles.sizeLimit, "\(what) size")
    sha256 = try input.readBytes(Self.sha256Bytes)
  }

  static func writeOptional(_ digest: FileDigest?, to out: inout ByteWriter) {
    guard let digest else { return out.byte(0) }
    out.byte(1)
    digest.write(to: &out)
  }

  static func readOptional(from input: inout ByteReader, _ what: String)
    throws(RemoteProtocolError) -> FileDigest?
  {
    switch try input.readByte() {
    case 0: return nil
    case 1: return try FileDigest(from: &input, what)
    case let other: throw input.error(.unexpected, "\(what) marker \(other)")
    }
  }
}

/// The mailboxes.db and mailboxlist.txt the local side already holds from the other side of a
/// verify, offered to an agent by digest (protocol 7): the agent sends a file's bytes only when
/// its own differs, and says "the one you offered" otherwise, so a consistent pair's mailbox
/// list does not cross the wire (a site with 50,000 mailboxes sends ~10 MB of mailboxes.db
/// otherwise).
///
/// Safe to stand in: the agent hashes its own file and claims sameness only for the same size
/// and SHA-256, the same trust the segment digests already rest on. Paths and spool rules still
/// come from the agent; only the bytes are shared.
public struct MailboxFileOffer: Sendable {
  /// The other side's mailboxes.db and its digest, when it has bytes.
  public var database: (content: MailboxFiles.Content, digest: FileDigest)?
  /// The other side's mailboxlist.txt and its digest, when it has bytes.
  public var dump: (content: MailboxFiles.Content, digest: FileDigest)?

  /// Offers the files of `files` that hold bytes.
  /// - Throws: when a temporary copy cannot be read back.
  public init(_ files: MailboxFiles) throws {
    database = try FileDigest(of: files.database).map { (files.database, $0) }
    dump = try FileDigest(of: files.dump).map { (files.dump, $0) }
  }

  /// Nothing offered.
  public init() {}

  /// The digests, as ``OpenRequest`` carries them.
  public var digests: OfferedDigests {
    OfferedDigests(database: database?.digest, dump: dump?.digest)
  }
}

/// What ``OpenRequest`` says the local side already holds.
public struct OfferedDigests: Sendable, Equatable {
  /// Size and SHA-256 of a mailboxes.db the local side holds.
  public var database: FileDigest?
  /// Size and SHA-256 of a mailboxlist.txt the local side holds.
  public var dump: FileDigest?

  public init(database: FileDigest? = nil, dump: FileDigest? = nil) {
    self.database = database
    self.dump = dump
  }
}
