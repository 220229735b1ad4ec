/// One message of the agent protocol or of a saved manifest: `[length: UInt32 big-endian]
/// [type: UInt8][payload: length bytes]`. The length is checked against
/// ``RemoteLimits/frameBytes`` before the payload is allocated.
public struct Frame: Sendable, Equatable {
  /// The message types. Values never change meaning; a new message gets a new value and a new
  /// protocol version.
  public enum Kind: UInt8, Sendable {
    /// Both directions, first frame: protocol version and tool version.
    case hello = 0x01
    /// Local → agent: which instance to walk, and how.
    case open = 0x02
    /// Agent → local: the instance as found (config file, root, areas, diagnostics).
    case opened = 0x03
    /// Agent → local: one segment's key, entry count and digest.
    case summary = 0x04
    /// Local → agent, for the oldest unanswered item: 0 drop it; 1 (a segment) send its
    /// entries; 2 (a group, protocol 7) open it, sending its members' summaries.
    case answer = 0x05
    /// Agent → local: the entries of the oldest segment answered "send".
    case detail = 0x06
    /// Agent → local: the walk is over (segment and entry totals).
    case end = 0x07
    /// Either direction: the sender cannot go on, and says why.
    case error = 0x08
    /// Agent → local, and in a saved manifest after its header (protocol 2, manifest format 2):
    /// the instance's mailboxes.db and mailboxlist.txt as ``MailboxFilesCodec`` describes.
    case mailboxFiles = 0x09
    /// A piece of a file announced by `mailboxFiles`.
    case fileChunk = 0x0A
    /// Agent → local (protocol 7): one group of consecutive segments, ``GroupSummary``.
    case group = 0x0B
    /// Saved manifest: the header (format version, side, level).
    case manifestHeader = 0x10
    /// Saved manifest: a batch of entries.
    case manifestEntries = 0x11
    /// Saved manifest: the trailer (entry count); a file without it is truncated.
    case manifestTrailer = 0x12
  }

  /// The message type.
  public var kind: Kind
  /// The payload.
  public var payload: [UInt8]
  /// Stream offset of the payload's first byte, for error messages (0 for frames being sent).
  public var offset: Int

  /// Makes a frame.
  public init(_ kind: Kind, _ payload: [UInt8], offset: Int = 0) {
    self.kind = kind
    self.payload = payload
    self.offset = offset
  }

  /// Bytes of the frame header.
  public static let headerBytes = 5

  /// The frame as bytes.
  public var encoded: [UInt8] {
    precondition(
      payload.count <= RemoteLimits.frameBytes, "a frame payload must fit RemoteLimits.frameBytes")
    let length = UInt32(payload.count)
    return [
      UInt8(length >> 24), UInt8((length >> 16) & 0xFF), UInt8((length >> 8) & 0xFF),
      UInt8(length & 0xFF), kind.rawValue,
    ]
      + payload
  }

  /// A reader positioned at the payload.
  var reader: ByteReader { ByteReader(payload, baseOffset: offset) }

  /// Parses a frame header: the payload length (checked against the limit) and the type.
  static func parseHeader(_ header: [UInt8], offset: Int) throws(RemoteProtocolError) -> (Int, Kind)
  {
    precondition(header.count == headerBytes, "a frame header is 5 bytes")
    let length = Int(header[0]) << 24 | Int(header[1]) << 16 | Int(header[2]) << 8 | Int(header[3])
    guard length <= RemoteLimits.frameBytes else {
      throw RemoteProtocolError(
        .tooLarge, offset: offset,
        detail: "frame of \(length) bytes is over the limit of \(RemoteLimits.frameBytes)")
    }
    guard let kind = Kind(rawValue: header[4]) else {
      throw RemoteProtocolError(
        .unexpected, offset: offset + 4,
        detail: "unknown message type 0x\(String(header[4], radix: 16))")
    }
    return (length, kind)
  }
}
