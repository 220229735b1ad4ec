import CyrusStore
import Foundation
import TestSupport
import Testing
import Verification

@testable import Remote

/// Collects findings.
final class Findings: FindingSink {
  var all: [Finding] = []
  func emit(_ finding: Finding) { all.append(finding) }
  var lines: [String] { all.map { "\($0.code.rawValue) \($0.location ?? "-")" } }
}

typealias ArraySource = ArrayManifestSource

@Suite struct ManifestFileTests {
  static let header = ManifestFile.Header(
    toolVersion: "0.1.0", level: .full, includeRuntime: false, created: 1_700_000_000,
    origin: "test",
    instance: InstanceDescription(
      configFile: "/etc/imapd.conf", root: nil,
      areas: [AreaDescription(name: "config", path: "/var/lib/cyrus")], diagnostics: []))

  /// Mailbox files larger than one chunk, so the codec's chunking is exercised.
  static let mailboxFiles = MailboxFiles(
    databasePath: "/var/lib/cyrus/mailboxes.db",
    database: .bytes(
      (0..<(MailboxFilesCodec.chunkBytes + 12345)).map { UInt8(truncatingIfNeeded: $0 &* 7) }),
    dumpPath: "/var/lib/cyrus/mailboxlist.txt", dump: .unreadable("Permission denied"),
    hashImapSpool: true,
    fullDirHash: false, deletedPrefix: "DELETED")

  func write(_ entries: [ManifestEntry], mailboxFiles: MailboxFiles = Self.mailboxFiles) throws
    -> String
  {
    let path = NSTemporaryDirectory() + "manifest-" + UUID().uuidString
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    defer { close(fd) }
    let writer = try ManifestWriter(fd: fd, header: Self.header, mailboxFiles: mailboxFiles)
    for entry in entries { try writer.append(entry) }
    try writer.finish()
    return path
  }

  /// Many entries, across batches.
  static func tree(_ count: Int) -> [ManifestEntry] {
    [ManifestEntry(area: "config", path: .root, kind: .directory)]
      + (0..<count).map {
        ManifestEntry(
          area: "config", path: EntryPath(String(format: "f%06d", $0)), kind: .file,
          size: UInt64($0))
      }
  }

  @Test func roundTrip() throws {
    let entries = ProtocolTests.sample + Self.tree(3000)
    let path = try write(entries)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try ManifestReader(path: path)
    #expect(reader.header == Self.header)
    #expect(reader.mailboxFiles == Self.mailboxFiles)
    var read: [ManifestEntry] = []
    while let entry = try reader.next() { read.append(entry) }
    #expect(read == entries)
  }

  @Test func truncatedManifestIsRefused() throws {
    let path = try write(Self.tree(2000))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    for cut in [size - 3, size - 9, size / 2] {
      try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: UInt64(cut))
      // Cut inside the entries or inside the mailbox files: refused either way, never read short.
      #expect(throws: RemoteError.self) {
        let reader = try ManifestReader(path: path)
        while try reader.next() != nil {}
      }
    }
  }

  @Test func notAManifestIsRefused() throws {
    let path = NSTemporaryDirectory() + "not-manifest-" + UUID().uuidString
    try Data("configdirectory: /var/lib/cyrus\n".utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(throws: RemoteError.self) { try ManifestReader(path: path) }
  }

  @Test func outOfOrderEntriesBecomeFindings() throws {
    var entries = Self.tree(3)
    entries.swapAt(1, 2)  // f000001 before f000000
    let path = try write(entries)
    defer { try? FileManager.default.removeItem(atPath: path) }
    var reader = AnySource(try ManifestReader(path: path))
    var live = ArraySource(Self.tree(3))
    let findings = Findings()
    try ManifestDiff(sink: findings).run(primary: &reader, failover: &live)
    #expect(
      findings.lines.sorted() == [
        "file.extra config:f000000", "manifest.out-of-order config:f000000",
      ])
  }
}

/// Segment pairing gives the diff exactly what a full transfer would have, and fetches only the
/// segments that differ.
@Suite struct SegmentPairingTests {
  /// The findings of comparing `left` and `right` directly and through a pairing of their
  /// segments (in groups when `grouped`, as against an agent).
  func compare(_ left: [ManifestEntry], _ right: [ManifestEntry], grouped: Bool = false) throws
    -> (direct: [String], paired: [String], pairing: SegmentPairing)
  {
    let direct = Findings()
    var a = ArraySource(left)
    var b = ArraySource(right)
    try ManifestDiff(sink: direct).run(primary: &a, failover: &b)
    let paired = Findings()
    let pairing = SegmentPairing(
      primary: LocalSegments(ArraySource(left), grouped: grouped),
      failover: LocalSegments(ArraySource(right), grouped: grouped))
    var (p, f) = pairing.sources()
    try ManifestDiff(sink: paired).run(primary: &p, failover: &f)
    return (direct.lines, paired.lines, pairing)
  }

  @Test func identicalSidesMatchEverySegment() throws {
    let tree = ManifestFileTests.tree(5000)
    let result = try compare(tree, tree)
    #expect(result.paired == [] && result.direct == [])
    #expect(result.pairing.differingSegments == 0 && result.pairing.matchedSegments > 1)
  }

  @Test(arguments: [0, 1, 2500, 4999])
  func oneDifferenceDisturbsOnlyItsSegment(victim: Int) throws {
    let tree = ManifestFileTests.tree(5000)
    var removed = tree
    removed.remove(at: victim + 1)
    var changed = tree
    changed[victim + 1].size += 1
    for other in [removed, changed] {
      let result = try compare(tree, other)
      #expect(result.paired == result.direct)
      #expect(result.direct.count == 1)
      #expect(result.pairing.differingSegments <= 2)
    }
  }
}
