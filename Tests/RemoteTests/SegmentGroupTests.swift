import CyrusStore
import Testing
import Verification

@testable import Remote

/// Groups of segments (protocol 7): equal runs of segments are settled by one digest, a
/// difference opens only the groups around it, and the diff sees exactly what a full transfer
/// would have given it.
@Suite struct SegmentGroupTests {
  /// A spool-like area: `directories` mailbox directories of `files` messages each, every
  /// directory the start of a segment.
  static func spool(directories: Int = 400, files: Int = 30) -> [ManifestEntry] {
    var entries = [ManifestEntry(area: "partition-default", path: .root, kind: .directory)]
    for directory in 0..<directories {
      let name = String(format: "d%04d", directory)
      entries.append(
        ManifestEntry(area: "partition-default", path: EntryPath(name), kind: .directory))
      for file in 0..<files {
        entries.append(
          ManifestEntry(
            area: "partition-default", path: EntryPath(name + String(format: "/%05d.", file + 1)),
            kind: .file,
            size: UInt64(directory * files + file)))
      }
    }
    return entries
  }

  /// The groups a side of `entries` makes.
  static func groups(_ entries: [ManifestEntry]) throws -> [GroupSummary] {
    let source = LocalSegments(ArraySource(entries), grouped: true)
    var groups: [GroupSummary] = []
    while let item = try source.nextItem() {
      guard case .group(let group) = item else {
        Issue.record("a grouped source gave a segment outside an opened group")
        return groups
      }
      groups.append(group)
      _ = try source.takeGroup(wanted: false)
    }
    return groups
  }

  func compare(_ left: [ManifestEntry], _ right: [ManifestEntry]) throws -> (
    direct: [String], paired: [String], pairing: SegmentPairing
  ) {
    try SegmentPairingTests().compare(left, right, grouped: true)
  }

  @Test func groupsAreBoundedAndCoverEverySegment() throws {
    let tree = Self.spool()
    let groups = try Self.groups(tree)
    #expect(groups.count > 4 && groups.count < 100, "\(groups.count) groups")
    #expect(groups.reduce(0) { $0 + $1.entries } == tree.count)
    #expect(groups.allSatisfy { $0.segments <= GroupCutter.maxSegments })
    #expect(groups.allSatisfy { $0.entries <= RemoteLimits.segmentEntries })
  }

  @Test func identicalSidesMatchEveryGroupAndOpenNone() throws {
    let tree = Self.spool()
    let result = try compare(tree, tree)
    #expect(result.paired == [] && result.direct == [], "\(result.paired.prefix(5))")
    #expect(result.pairing.matchedGroups == (try Self.groups(tree)).count)
    #expect(result.pairing.groupsOpened == 0)
    #expect(result.pairing.matchedSegments == 0 && result.pairing.differingSegments == 0)
  }

  /// One message file removed or changed, a mailbox directory removed or added: the findings
  /// are those of a full comparison, and only the groups around the difference are opened.
  @Test(arguments: ["file removed", "size changed", "directory removed", "directory added"])
  func oneDifferenceOpensOnlyItsGroups(change: String) throws {
    let tree = Self.spool()
    var other = tree
    let victim = 1 + 200 * 31  // the directory d0200
    switch change {
    case "file removed": other.remove(at: victim + 5)
    case "size changed": other[victim + 5].size += 1
    case "directory removed": other.removeSubrange(victim...(victim + 30))
    default:
      other.insert(
        ManifestEntry(area: "partition-default", path: EntryPath("d0200a"), kind: .directory),
        at: victim + 31)
    }
    let result = try compare(tree, other)
    #expect(result.paired == result.direct)
    #expect(!result.direct.isEmpty)
    #expect(result.pairing.groupsOpened <= 4, "\(result.pairing.groupsOpened) groups opened")
    let groups = try Self.groups(tree).count
    #expect(result.pairing.matchedGroups >= groups - 3)
    #expect(result.pairing.differingSegments <= 2)
  }

  /// A group frame round-trips; counts past the cutter's limits, or fewer entries than
  /// segments, are refused.
  @Test func groupFramesRoundTripAndAreChecked() throws {
    let groups = try Self.groups(Self.spool())
    var encoder = GroupEncoder()
    var decoder = GroupDecoder()
    for group in groups { #expect(try decoder.decode(encoder.frame(group)) == group) }
    for (segments, entries) in [(GroupCutter.maxSegments + 1, 100_000), (3, 2), (0, 0)] {
      var bad = groups[0]
      bad.segments = segments
      bad.entries = entries
      var fresh = GroupEncoder()
      var reader = GroupDecoder()
      #expect(throws: RemoteProtocolError.self) { try reader.decode(fresh.frame(bad)) }
    }
  }
}
