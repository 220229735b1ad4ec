import CyrusStore
import Foundation
import Testing
import Verification

@testable import Remote

/// Frames and entries: round trips, and damage (truncation, oversized lengths, unknown types)
/// that must be refused with a typed error before anything is allocated.
@Suite struct ProtocolTests {
  static let sample: [ManifestEntry] = [
    ManifestEntry(
      area: "config", path: .root, kind: .directory, mode: 0o750, uid: 100, gid: 8, owner: "cyrus",
      group: "mail",
      mtime: Timestamp(seconds: 1_700_000_000, nanoseconds: 5)),
    ManifestEntry(
      area: "config", path: EntryPath("mailboxes.db"), kind: .file, size: 65536, mode: 0o600,
      uid: 100, gid: 8,
      owner: "cyrus", group: "mail", mtime: Timestamp(seconds: -3),
      digest: [UInt8](repeating: 0xAB, count: 32)),
    ManifestEntry(
      area: "partition-default", path: EntryPath("user/anna/1."), kind: .file, size: 12,
      hardLinkLeader: "partition-default:user/anna/1.",
      mailbox: "user.anna"),
    ManifestEntry(
      area: "partition-default", path: EntryPath("user/anna/2."), kind: .file, size: 12,
      hardLinkLeader: "partition-default:user/anna/1.",
      mailbox: "user.anna", problem: .unreadable("Permission denied")),
    ManifestEntry(
      area: "partition-default", path: EntryPath(bytes: [0x75, 0xFF, 0x2F, 0x00]), kind: .symlink,
      linkTarget: Array("/etc/shadow".utf8),
      problem: .vanished),
    ManifestEntry(
      area: "sieve", path: EntryPath("x"), kind: .fifo, owner: "u", problem: .unlistable("EIO")),
    ManifestEntry(
      area: "sieve", path: EntryPath("y"), kind: .unknown, problem: .changedWhileReading),
  ]

  static func encode(_ entries: [ManifestEntry]) -> [UInt8] {
    var encoder = EntryEncoder()
    var out = ByteWriter()
    for entry in entries { encoder.encode(entry, into: &out) }
    return out.bytes
  }

  @Test func entriesRoundTrip() throws {
    let bytes = Self.encode(Self.sample)
    #expect(
      try EntryDecoder.decodeAll(bytes, baseOffset: 0, count: Self.sample.count) == Self.sample)
    // Same entries, fresh encoder: same bytes (what a segment digest relies on).
    #expect(Self.encode(Self.sample) == bytes)
  }

  @Test func truncatedEntryIsRefused() {
    let bytes = Self.encode(Self.sample)
    for cut in [1, bytes.count / 2, bytes.count - 1] {
      #expect(throws: RemoteProtocolError.self) {
        try EntryDecoder.decodeAll(
          Array(bytes.prefix(cut)), baseOffset: 0, count: Self.sample.count)
      }
    }
  }

  @Test func oversizedFieldLengthIsRefusedBeforeAllocation() {
    var out = ByteWriter()
    out.varint(UInt64(1))  // flags: area present
    out.varint(UInt64(1) << 40)  // area name length: a terabyte
    do {
      _ = try EntryDecoder.decodeAll(out.bytes, baseOffset: 0, count: 1)
      Issue.record("an oversized length must throw")
    } catch {
      #expect(error.kind == .tooLarge)
      #expect(error.detail.contains("over the limit of \(RemoteLimits.fieldBytes)"))
    }
  }

  @Test func overlongVarintIsRefused() {
    var input = ByteReader([UInt8](repeating: 0xFF, count: 11))
    #expect(throws: RemoteProtocolError.self) { try input.readVarint() }
  }

  @Test func framesRoundTripThroughAPipe() throws {
    let pipe = Pipe()
    let writer = ByteChannel(input: -1, output: pipe.fileHandleForWriting.fileDescriptor)
    let frames = [
      Hello(toolVersion: "9.9").frame, Frame(.answer, [1]),
      Frame(.detail, Self.encode(Self.sample)),
    ]
    writer.sendRaw(AgentProtocol.agentMagic)
    for frame in frames { try writer.send(frame) }
    try writer.flush()
    try pipe.fileHandleForWriting.close()
    let reader = ByteChannel(input: pipe.fileHandleForReading.fileDescriptor, output: -1)
    #expect(try reader.readMagic(AgentProtocol.agentMagic) == nil)
    for frame in frames {
      #expect(try reader.receive().map { Frame($0.kind, $0.payload) } == frame)
    }
    #expect(try reader.receive() == nil)
    #expect(reader.bytesReceived == writer.bytesSent)
  }

  /// Writes `bytes` to a pipe and reads one frame back.
  func receive(_ bytes: [UInt8]) throws -> Frame? {
    let pipe = Pipe()
    pipe.fileHandleForWriting.write(Data(bytes))
    try pipe.fileHandleForWriting.close()
    return try ByteChannel(input: pipe.fileHandleForReading.fileDescriptor, output: -1).receive()
  }

  @Test func truncatedFrameIsRefused() throws {
    let whole = Frame(.detail, [1, 2, 3, 4, 5, 6]).encoded
    #expect(throws: RemoteProtocolError.self) { try receive(Array(whole.prefix(whole.count - 2))) }
    #expect(throws: RemoteProtocolError.self) { try receive(Array(whole.prefix(3))) }
  }

  @Test func oversizedFrameLengthIsRefused() throws {
    // 0x7FFFFFFF bytes announced: refused from the header alone.
    #expect(
      throws: RemoteProtocolError(
        .tooLarge, offset: 0, detail: "frame of 2147483647 bytes is over the limit of 8388608")
    ) {
      try receive([0x7F, 0xFF, 0xFF, 0xFF, Frame.Kind.detail.rawValue])
    }
  }

  @Test func unknownMessageTypeIsRefused() throws {
    #expect(throws: RemoteProtocolError.self) { try receive([0, 0, 0, 0, 0x7E]) }
  }

  @Test func summariesRoundTripWithSharedPrefixes() throws {
    var encoder = SummaryEncoder()
    var decoder = SummaryDecoder()
    let summaries = [
      SegmentSummary(
        area: "config", path: .root, count: 3, digest: [UInt8](repeating: 1, count: 32)),
      SegmentSummary(
        area: "partition-default", path: EntryPath("uuid/a/b/abc"), count: 4096,
        digest: [UInt8](repeating: 2, count: 32)),
      SegmentSummary(
        area: "partition-default", path: EntryPath("uuid/a/b/abd/7."), count: 1,
        digest: [UInt8](repeating: 3, count: 32)),
    ]
    for summary in summaries {
      var frame = encoder.frame(summary)
      frame.offset = 0
      #expect(try decoder.decode(frame) == summary)
    }
  }

  @Test func versionMismatchIsAClearError() throws {
    let toAgent = Pipe()
    let fromAgent = Pipe()
    let agentInput = toAgent.fileHandleForReading.fileDescriptor
    let agentOutput = fromAgent.fileHandleForWriting.fileDescriptor
    let thread = Thread {
      let agentChannel = ByteChannel(input: agentInput, output: agentOutput)
      var agent = Agent(toolVersion: "0.0.9")
      agent.protocolVersion = 99
      _ = try? agent.serve(agentChannel)
    }
    thread.start()
    let client = ByteChannel(
      input: fromAgent.fileHandleForReading.fileDescriptor,
      output: toAgent.fileHandleForWriting.fileDescriptor)
    do {
      _ = try AgentConnection(
        channel: client,
        request: OpenRequest(
          instance: "/etc/imapd.conf", root: nil, level: .full, includeRuntime: false),
        toolVersion: "0.1.0", where: "failover.example",
        explainEnd: { RemoteError(.dropped, "ended \($0.rawValue)") })
      Issue.record("a version mismatch must throw")
    } catch let error as RemoteError {
      #expect(error.kind == .versionMismatch)
      #expect(error.message.contains("0.0.9") && error.message.contains("protocol 99"))
      #expect(error.message.contains("Install cyrus-failover 0.1.0 on failover.example"))
    }
  }
}
