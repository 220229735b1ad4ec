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
}
