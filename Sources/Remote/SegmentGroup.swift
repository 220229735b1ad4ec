import Crypto
import CyrusStore

/// What identifies a run of consecutive segments across the wire (protocol 7): the first
/// segment's key, how many segments and entries, and a digest of the members' summaries. Two
/// groups with the same key, counts and digest hold the same segments, so the same entries; the
/// agent sends one of these for every group and the members' summaries only for a group the
/// local side opens.
public struct GroupSummary: Sendable, Equatable {
  /// Area of the first segment.
  public var area: String
  /// Key (first entry's path) of the first segment.
  public var path: EntryPath
  /// Number of segments.
  public var segments: Int
  /// Number of entries in all of them.
  public var entries: Int
  /// ``GroupDigest`` of the members.
  public var digest: [UInt8]

  public init(area: String, path: EntryPath, segments: Int, entries: Int, digest: [UInt8]) {
    self.area = area
    self.path = path
    self.segments = segments
    self.entries = entries
    self.digest = digest
  }

  /// Whether `other` holds the same segments.
  func matches(_ other: GroupSummary) -> Bool {
    segments == other.segments && entries == other.entries && digest == other.digest
  }
}

/// SHA-256 over each member segment's entry count (varint) and digest, in order.
struct GroupDigest {
  private var hasher = SHA256()
  private(set) var segments = 0
  private(set) var entries = 0

  mutating func add(_ member: SegmentSummary) {
    var out = ByteWriter()
    out.varint(member.count)
    out.raw(member.digest)
    hasher.update(data: out.bytes)
    segments += 1
    entries += member.count
  }

  func finish() -> [UInt8] { Array(hasher.finalize()) }
}

/// Where groups of segments end: the same rule on both sides, from each side's own segments,
/// so two equal runs of segments are grouped alike and a difference disturbs only the groups
/// around it.
///
/// A group starts at an area's first segment and at every segment whose key's FNV-1a hash has
/// bits 8–12 zero (one key in 32; bits 0–7 already decide where segments start, so they are not
/// used again). It also ends before it would pass ``maxSegments`` segments,
/// ``RemoteLimits/segmentEntries`` entries or ``maxBytes`` encoded bytes, which bounds what
/// either side holds for a group: the entries of one segment's worth, at most.
struct GroupCutter {
  /// Most segments in a group.
  static let maxSegments = 64
  /// Most encoded bytes of a group's segments (a group of one segment may hold more).
  static let maxBytes = 4 << 20

  private var area: String?
  private var segments = 0
  private var entries = 0
  private var bytes = 0

  /// Whether `summary`, whose segment encodes to `encodedBytes`, starts a new group; then (or
  /// not) it is counted in the group it belongs to.
  mutating func startsGroup(_ summary: SegmentSummary, encodedBytes: Int) -> Bool {
    let starts =
      segments == 0 || summary.area != area || Self.cutsBefore(summary.path)
      || segments >= Self.maxSegments || entries + summary.count > RemoteLimits.segmentEntries
      || bytes + encodedBytes > Self.maxBytes
    if starts {
      area = summary.area
      segments = 0
      entries = 0
      bytes = 0
    }
    segments += 1
    entries += summary.count
    bytes += encodedBytes
    return starts
  }

  /// FNV-1a 64 of the key, bits 8–12 zero.
  static func cutsBefore(_ path: EntryPath) -> Bool {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in path.bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return (hash >> 8) & 0x1F == 0
  }
}

/// Gathers consecutive segments into groups with ``GroupCutter``; each group is handed out once
/// the segment after it (or the end) shows where it ends.
struct SegmentGrouper {
  private var cutter = GroupCutter()
  private var members: [Segment] = []
  private var digest = GroupDigest()
  /// Encoded bytes of the segments being gathered.
  private(set) var bytes = 0

  /// Segments being gathered.
  var segments: Int { members.count }

  /// Adds `segment`; returns the group it closes, if it starts a new one.
  mutating func add(_ segment: Segment) -> (GroupSummary, [Segment])? {
    let closed =
      cutter.startsGroup(segment.summary, encodedBytes: segment.encoded.count) ? finish() : nil
    members.append(segment)
    digest.add(segment.summary)
    bytes += segment.encoded.count
    return closed
  }

  /// The group being gathered, closed (at the end of the segments); `nil` when empty.
  mutating func finish() -> (GroupSummary, [Segment])? {
    guard let first = members.first else { return nil }
    let summary = GroupSummary(
      area: first.summary.area, path: first.summary.path, segments: digest.segments,
      entries: digest.entries, digest: digest.finish())
    defer {
      members = []
      digest = GroupDigest()
      bytes = 0
    }
    return (summary, members)
  }
}

/// Writes `group` frames, each key in the groups' own ``SegmentKeyStream`` (apart from the
/// segment summaries').
struct GroupEncoder {
  private var keys = SegmentKeyStream()

  mutating func frame(_ group: GroupSummary) -> Frame {
    var out = ByteWriter()
    keys.write(area: group.area, path: group.path, to: &out)
    out.varint(group.segments)
    out.varint(group.entries)
    out.raw(group.digest)
    return Frame(.group, out.bytes)
  }
}

/// Reads what ``GroupEncoder`` wrote; counts past the limits of ``GroupCutter`` are refused.
struct GroupDecoder {
  private var keys = SegmentKeyStream()

  mutating func decode(_ frame: Frame) throws(RemoteProtocolError) -> GroupSummary {
    var input = frame.reader
    let key = try keys.read(from: &input, "group")
    let segments = try input.readCount(limit: GroupCutter.maxSegments, "group segment count")
    let entries = try input.readCount(limit: RemoteLimits.segmentEntries, "group entry count")
    guard segments > 0 && entries >= segments else {
      throw input.error(.corrupt, "a group of \(segments) segments and \(entries) entries")
    }
    let digest = try input.readBytes(RemoteLimits.digestBytes)
    guard input.isAtEnd else { throw input.error(.corrupt, "bytes after a group") }
    return GroupSummary(
      area: key.area, path: key.path, segments: segments, entries: entries, digest: digest)
  }
}
