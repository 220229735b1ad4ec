/// Every limit of the agent protocol and the saved-manifest format, in one place. A length read
/// from the wire or a file is checked against one of these before anything is allocated.
public enum RemoteLimits {
  /// Largest frame payload, in bytes (a segment's detail is cut well below it).
  public static let frameBytes = 8 << 20
  /// Largest single field (a path, a name, a link target, an error text), in bytes.
  public static let fieldBytes = 1 << 16
  /// Most entries in one segment; the segmenter cuts there.
  public static let segmentEntries = 4096
  /// Encoded size at which the segmenter cuts a segment, in bytes (one entry is at most about
  /// 7 fields of `fieldBytes`, so a segment stays far below `frameBytes`).
  public static let segmentBytes = 1 << 20
  /// Sum of the full paths of a segment's entries at which the segmenter cuts, in bytes. Paths
  /// travel as shared prefixes, so a segment that is small on the wire can be large decoded;
  /// this keeps a decoded segment near its encoded size.
  public static let segmentPathBytes = 1 << 20
  /// Largest segment detail the local side accepts, in bytes: a segment cut at `segmentBytes`
  /// plus its last entry (at most 7 fields of `fieldBytes` and a few numbers).
  public static let detailBytes = segmentBytes + 8 * fieldBytes
  /// Most bytes of decoded paths in one segment detail: a segment cut at `segmentPathBytes`
  /// plus its last entry's path.
  public static let detailPathBytes = segmentPathBytes + fieldBytes
  /// Most summaries (and the `end`) the local side keeps while it waits for a segment's
  /// detail: the agent's window of `pendingSegments`, the `end`, and one to spare.
  public static let waitingSummaries = pendingSegments + 2
  /// Most bytes of paths in the summaries kept while a detail is awaited: each summary's path
  /// is its segment's first, which the agent counts in its `pendingBytes` (plus one segment).
  public static let waitingPathBytes = pendingBytes + detailBytes
  /// Most areas an instance may declare.
  public static let areas = 1024
  /// Most configuration diagnostics passed along.
  public static let diagnostics = 1024
  /// Size of a SHA-256 digest, in bytes.
  public static let digestBytes = 32
  /// Most segments the agent sends ahead of the answers it has read.
  public static let pendingSegments = 512
  /// Most encoded bytes the agent holds for unanswered segments.
  public static let pendingBytes = 16 << 20
  /// Most entries in one frame of a saved manifest.
  public static let manifestBatchEntries = 1024
  /// Longest LEB128 varint for a 64-bit value, in bytes.
  public static let varintBytes = 10
}
