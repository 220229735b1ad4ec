import Crypto
import CyrusStore

/// A run of consecutive entries of one side in canonical order, with the digest the two sides
/// compare instead of the entries themselves.
///
/// A segment starts at the first entry of an area, at every directory, and wherever the path
/// itself says so (``Segmenter/cutsBefore(_:)``), so it is at most one directory's entries
/// between two of its subdirectories. Boundaries depend only on the entries, never on what came
/// before, so an extra or missing file on one side disturbs only its own segment.
public struct Segment: Sendable {
  /// What is sent and compared.
  public var summary: SegmentSummary
  /// The entries (only on the side that walked them).
  public var entries: [ManifestEntry]
  /// The entries as encoded by a fresh ``EntryEncoder``: the digest's input and the `detail`
  /// payload.
  public var encoded: [UInt8]

  /// The segment as the agent holds it until answered: what is sent, not the entries.
  var withoutEntries: Segment {
    Segment(summary: summary, entries: [], encoded: encoded)
  }
}

/// What identifies a segment across the wire: its first entry's place, its size, its digest.
public struct SegmentSummary: Sendable, Equatable {
  /// Area of the first entry.
  public var area: String
  /// Path of the first entry.
  public var path: EntryPath
  /// Number of entries.
  public var count: Int
  /// SHA-256 of the encoded entries.
  public var digest: [UInt8]

  public init(area: String, path: EntryPath, count: Int, digest: [UInt8]) {
    self.area = area
    self.path = path
    self.count = count
    self.digest = digest
  }
}

/// Cuts a ``ManifestSource`` into ``Segment``s.
public struct Segmenter<Source: ManifestSource> {
  private var source: Source
  private var lookahead: ManifestEntry?
  /// Entries read so far.
  public private(set) var entries = 0
  /// Segments made so far.
  public private(set) var segments = 0

  public init(_ source: Source) {
    self.source = source
  }

  /// The next segment, or `nil` at the end of the source.
  public mutating func next() throws -> Segment? {
    guard let first = try lookahead ?? source.next() else { return nil }
    lookahead = nil
    var encoder = EntryEncoder()
    var out = ByteWriter()
    var members = [first]
    var pathBytes = first.path.bytes.count
    encoder.encode(first, into: &out)
    while let entry = try source.next() {
      if entry.area != first.area || entry.kind == .directory || Self.cutsBefore(entry.path)
        || members.count >= RemoteLimits.segmentEntries
        || out.bytes.count >= RemoteLimits.segmentBytes
        || pathBytes >= RemoteLimits.segmentPathBytes
      {
        lookahead = entry
        break
      }
      encoder.encode(entry, into: &out)
      members.append(entry)
      pathBytes += entry.path.bytes.count
    }
    entries += members.count
    segments += 1
    let digest = Array(SHA256.hash(data: out.bytes))
    return Segment(
      summary: SegmentSummary(
        area: first.area, path: first.path, count: members.count, digest: digest),
      entries: members, encoded: out.bytes)
  }

  /// Whether a segment starts at this path regardless of its neighbours: FNV-1a of the path,
  /// low 8 bits zero (one path in 256 on average).
  static func cutsBefore(_ path: EntryPath) -> Bool {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a 64 offset basis
    for byte in path.bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }  // FNV-1a 64 prime
    return hash & 0xFF == 0
  }
}

/// Writes ``SegmentSummary`` frames, each key in the summaries' ``SegmentKeyStream``.
struct SummaryEncoder {
  private var keys = SegmentKeyStream()

  mutating func frame(_ summary: SegmentSummary) -> Frame {
    var out = ByteWriter()
    keys.write(area: summary.area, path: summary.path, to: &out)
    out.varint(summary.count)
    out.raw(summary.digest)
    return Frame(.summary, out.bytes)
  }
}

/// Reads what ``SummaryEncoder`` wrote.
struct SummaryDecoder {
  private var keys = SegmentKeyStream()

  mutating func decode(_ frame: Frame) throws(RemoteProtocolError) -> SegmentSummary {
    var input = frame.reader
    let key = try keys.read(from: &input, "summary")
    let count = try input.readCount(limit: RemoteLimits.segmentEntries, "segment entry count")
    guard count > 0 else { throw input.error(.corrupt, "an empty segment") }
    let digest = try input.readBytes(RemoteLimits.digestBytes)
    guard input.isAtEnd else { throw input.error(.corrupt, "bytes after a summary") }
    return SegmentSummary(area: key.area, path: key.path, count: count, digest: digest)
  }
}
