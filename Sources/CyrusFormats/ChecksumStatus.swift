/// Whether a stored CRC-32 matched the bytes it covers.
public enum ChecksumStatus: Hashable, Sendable {
  /// The version stores no CRC here (index minor < 12).
  case absent
  case valid
  case mismatch(stored: UInt32, computed: UInt32)

  /// False only for a mismatch.
  public var isAcceptable: Bool {
    if case .mismatch = self { return false }
    return true
  }
}
