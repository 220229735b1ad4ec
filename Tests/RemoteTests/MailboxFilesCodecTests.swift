import CyrusStore
import Testing

@testable import Remote

/// Mailbox files on the wire: received a chunk at a time into an unnamed temporary file, never
/// whole in memory, and every chunk must bring the file nearer its end (issue 13).
@Suite struct MailboxFilesCodecTests {
  static let size = MailboxFilesCodec.chunkBytes + 12345

  static let files = MailboxFiles(
    databasePath: "/var/lib/cyrus/mailboxes.db",
    database: .bytes((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 13) }),
    dumpPath: "/var/lib/cyrus/mailboxlist.txt", dump: .bytes(Array("user.anna\t0 x\n".utf8)),
    hashImapSpool: false, fullDirHash: true, deletedPrefix: "DELETED")

  static func frames(_ files: MailboxFiles = files) throws -> [Frame] {
    var frames: [Frame] = []
    try MailboxFilesCodec.forEachFrame(files) { frames.append($0) }
    return frames
  }

  /// Reads `frames` back, the first as the `mailboxFiles` frame.
  static func read(_ frames: [Frame]) throws -> MailboxFiles {
    var rest = frames.dropFirst()
    return try MailboxFilesCodec.read(frames[0]) {
      guard let next = rest.popFirst() else { throw RemoteProtocolError(.truncated, detail: "end") }
      return next
    }
  }

  @Test func receivedBytesGoToAnUnnamedFile() throws {
    let frames = try Self.frames()
    #expect(frames.map(\.payload.count) == [frames[0].payload.count, 4 << 20, 12345, 14])
    let read = try Self.read(frames)
    #expect(read == Self.files)
    guard case .file(let copy) = read.database else {
      Issue.record("the database is not kept in a file: \(read.database)")
      return
    }
    #expect(copy.count == Self.size)
  }

  @Test(arguments: [0, 1, (4 << 20) - 1])
  func aChunkOfTheWrongSizeIsRefused(size: Int) throws {
    var frames = try Self.frames()
    frames[1] = Frame(.fileChunk, [UInt8](repeating: 7, count: size), offset: 99)
    #expect(
      throws: RemoteProtocolError(
        .corrupt, offset: 99,
        detail: "a chunk of /var/lib/cyrus/mailboxes.db of \(size) bytes; \(4 << 20) expected")
    ) { try Self.read(frames) }
  }

  @Test func anotherFrameWhereAChunkBelongsIsRefused() throws {
    var frames = try Self.frames()
    frames[2] = Frame(.summary, [], offset: 5)
    #expect(throws: RemoteProtocolError.self) { try Self.read(frames) }
  }

  /// Protocol 7: a file that is the one the local side offered is described by digest, and
  /// its bytes are not sent; the reader stands the offered bytes in for it.
  @Test func anOfferedFileIsNotSentAgain() throws {
    let offer = try MailboxFileOffer(Self.files)
    var frames: [Frame] = []
    try MailboxFilesCodec.forEachFrame(Self.files, offered: offer.digests) { frames.append($0) }
    #expect(frames.map(\.kind) == [.mailboxFiles])
    #expect(frames[0].payload.count < 200)
    var rest = frames.dropFirst()
    let read = try MailboxFilesCodec.read(frames[0], offer: offer) {
      guard let next = rest.popFirst() else { throw RemoteProtocolError(.truncated, detail: "end") }
      return next
    }
    #expect(read == Self.files)
  }

  /// A file that differs from the one offered by one byte, or by its size, is sent whole.
  @Test(arguments: ["one byte", "one byte more"])
  func aFileUnlikeTheOfferIsSentWhole(change: String) throws {
    var changed = Self.files
    guard case .bytes(var bytes) = changed.database else { return }
    if change == "one byte" { bytes[Self.size / 2] ^= 1 } else { bytes.append(0) }
    changed.database = .bytes(bytes)
    let offer = try MailboxFileOffer(Self.files)
    var frames: [Frame] = []
    try MailboxFilesCodec.forEachFrame(changed, offered: offer.digests) { frames.append($0) }
    // The database in two chunks; the dump, offered and the same, not at all.
    #expect(frames.map(\.kind) == [.mailboxFiles, .fileChunk, .fileChunk])
    var rest = frames.dropFirst()
    let read = try MailboxFilesCodec.read(frames[0], offer: offer) {
      guard let next = rest.popFirst() else { throw RemoteProtocolError(.truncated, detail: "end") }
      return next
    }
    #expect(read == changed)
  }

  /// A peer that claims a file is the one offered when nothing (or another file) was offered
  /// is refused: it cannot make the local side take bytes it never held.
  @Test func aClaimOfTheOfferWithoutOneIsRefused() throws {
    let offer = try MailboxFileOffer(Self.files)
    var frames: [Frame] = []
    try MailboxFilesCodec.forEachFrame(Self.files, offered: offer.digests) { frames.append($0) }
    #expect(throws: RemoteProtocolError.self) { try Self.read(frames) }
    var other = Self.files
    other.database = .bytes([1, 2, 3])
    other.dump = .bytes([4])
    let wrongOffer = try MailboxFileOffer(other)
    #expect(throws: RemoteProtocolError.self) {
      try MailboxFilesCodec.read(frames[0], offer: wrongOffer) {
        throw RemoteProtocolError(.truncated, detail: "end")
      }
    }
  }

  /// The offer crosses in `open`, and a request without one reads back as offering nothing.
  @Test func theOfferRoundTripsInOpen() throws {
    let offer = try MailboxFileOffer(Self.files)
    let request = OpenRequest(
      instance: "/etc/imapd.conf", root: nil, level: .meta, includeRuntime: false,
      offered: offer.digests)
    let decoded = try OpenRequest(request.frame)
    #expect(decoded == request)
    #expect(decoded.offered.database?.size == Self.size)
    let plain = OpenRequest(
      instance: "/etc/imapd.conf", root: nil, level: .meta, includeRuntime: false)
    #expect(try OpenRequest(plain.frame).offered == OfferedDigests())
    var trailing = plain.frame
    trailing.payload.append(0)
    #expect(throws: RemoteProtocolError.self) { try OpenRequest(trailing) }
  }
}
