/// A violation of the agent protocol or of the saved-manifest format: a truncated or oversized
/// frame, an unknown message, a field that does not decode. The other side cannot be trusted to
/// go on, so this is thrown (exit status 2), never turned into a finding.
public struct RemoteProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: String, Sendable {
    /// The stream ended inside a frame or a field.
    case truncated
    /// A length is over its limit (``RemoteLimits``).
    case tooLarge
    /// The stream does not start with the expected magic bytes.
    case badMagic
    /// A message type, kind code or flag is not one this version knows, or arrived out of turn.
    case unexpected
    /// A value is present but wrong (a digest that does not match, a count that disagrees).
    case corrupt
  }

  /// What went wrong.
  public var kind: Kind
  /// Byte offset in the stream (frame start plus offset in the frame), when known.
  public var offset: Int?
  /// A sentence for the operator.
  public var detail: String

  /// Makes an error.
  public init(_ kind: Kind, offset: Int? = nil, detail: String) {
    self.kind = kind
    self.offset = offset
    self.detail = detail
  }

  public var description: String {
    guard let offset else { return "protocol error (\(kind.rawValue)): \(detail)" }
    return "protocol error (\(kind.rawValue)) at offset 0x\(String(offset, radix: 16)): \(detail)"
  }
}
