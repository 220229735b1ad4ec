import CyrusStore
import TestSupport
import Testing

@testable import Verification

typealias ArraySource = ArrayManifestSource

final class CollectingSink: FindingSink {
  var findings: [Finding] = []
  func emit(_ finding: Finding) { findings.append(finding) }
}

func file(_ path: String, size: UInt64 = 10, digest: UInt8 = 1, area: String = "partition-default")
  -> ManifestEntry
{
  ManifestEntry(
    area: area, path: EntryPath(path), kind: .file, size: size, mode: 0o600, uid: 100, gid: 8,
    owner: "cyrus",
    group: "mail", mtime: Timestamp(seconds: 1000), digest: [digest])
}

func directory(_ path: String, area: String = "partition-default") -> ManifestEntry {
  ManifestEntry(
    area: area, path: EntryPath(path), kind: .directory, mode: 0o700, uid: 100, gid: 8,
    owner: "cyrus", group: "mail")
}

/// `code area:path` strings, the form tests compare complete finding sets in.
func summary(_ findings: [Finding]) -> [String] {
  findings.map { "\($0.code.rawValue) \($0.location ?? "-")" }
}

func diff(_ primary: [ManifestEntry], _ failover: [ManifestEntry]) throws -> [Finding] {
  let sink = CollectingSink()
  var left = ArraySource(primary)
  var right = ArraySource(failover)
  try ManifestDiff(sink: sink).run(primary: &left, failover: &right)
  return sink.findings
}

@Suite struct ManifestDiffTests {
  @Test func identicalManifestsHaveNoFindings() throws {
    let tree = [directory(""), directory("a"), file("a/1."), file("a/2.")]
    #expect(try diff(tree, tree).isEmpty)
  }

  @Test func missingDirectoryIsOneFindingWithCounts() throws {
    let primary = [
      directory(""), directory("a"), file("a/1.", size: 5), file("a/2.", size: 7), directory("b"),
      file("b/1."),
    ]
    let failover = [directory(""), directory("b"), file("b/1.")]
    let findings = try diff(primary, failover)
    #expect(summary(findings) == ["directory.missing partition-default:a"])
    #expect(findings.first.flatMap(FindingText.detail)?.contains("2 entries below") == true)
    #expect(findings.first.flatMap(FindingText.detail)?.contains("12 bytes") == true)
  }

  @Test func extraFileAndMissingFile() throws {
    let findings = try diff([directory(""), file("x")], [directory(""), file("y")])
    #expect(
      summary(findings) == ["file.missing partition-default:x", "file.extra partition-default:y"])
  }

  @Test func contentSizeModeOwnerDifferences() throws {
    var changedMode = file("m")
    changedMode.mode = 0o644
    var changedOwner = file("o")
    changedOwner.owner = "root"
    let findings = try diff(
      [directory(""), file("c", digest: 1), file("m"), file("o"), file("s", size: 10)],
      [directory(""), file("c", digest: 2), changedMode, changedOwner, file("s", size: 11)])
    #expect(
      summary(findings) == [
        "file.content-mismatch partition-default:c", "file.mode-mismatch partition-default:m",
        "file.owner-mismatch partition-default:o", "file.size-mismatch partition-default:s",
      ])
    #expect(findings[1].primary == "0600" && findings[1].failover == "0644")
  }

  @Test func typeMismatchFoldsTheDirectoryContent() throws {
    let findings = try diff(
      [directory(""), directory("d"), file("d/1."), file("d/2."), file("e")],
      [directory(""), file("d"), file("e")])
    #expect(summary(findings) == ["file.type-mismatch partition-default:d"])
    #expect(
      findings.first.flatMap(FindingText.detail)?.contains("2 entries below on the primary") == true
    )
  }

  @Test func mtimeSeverityDependsOnTheArea() throws {
    var late = file("1.")
    late.mtime = Timestamp(seconds: 2000)
    var lateConfig = file("mailboxes.db", area: "config")
    lateConfig.mtime = Timestamp(seconds: 2000)
    let findings = try diff(
      [
        directory("", area: "config"), file("mailboxes.db", area: "config"), directory(""),
        file("1."),
      ],
      [directory("", area: "config"), lateConfig, directory(""), late])
    #expect(findings.map(\.severity) == [.info, .warning])
  }

  @Test func brokenHardLinkIsAWarningOnTheFollower() throws {
    var first = file("a/1.")
    first.hardLinkLeader = "partition-default:a/1."
    var second = file("b/1.")
    second.hardLinkLeader = "partition-default:a/1."
    let primary = [directory(""), directory("a"), first, directory("b"), second]
    let failover = [directory(""), directory("a"), file("a/1."), directory("b"), file("b/1.")]
    let findings = try diff(primary, failover)
    #expect(summary(findings) == ["file.hardlink-mismatch partition-default:b/1."])
    #expect(findings.first?.severity == .warning)
  }

  func index(
    _ digest: UInt8, minor: UInt32 = 17, size: UInt64 = 1000, lastUID: UInt32 = 9,
    syncCRC: UInt32? = nil
  )
    -> ManifestEntry
  {
    var entry = file("m/cyrus.index", size: size, digest: digest)
    entry.indexSummary = IndexSummary(
      minorVersion: minor, uidValidity: 1, lastUID: lastUID, liveMessages: 3, messagesDigest: "abc",
      seenDigest: minor >= 12 ? "s" : nil, guidDigest: nil, clean: true, syncCRC: syncCRC)
    return entry
  }

  @Test func indexesThatDisagreeOnlyOnCyrusSyncCRCAreAMismatch() throws {
    // A modseq or internal date changed: only Cyrus's own CRC sees it, across minor versions too.
    let findings = try diff(
      [directory(""), directory("m"), index(1, minor: 12, size: 900, syncCRC: 0x1234)],
      [directory(""), directory("m"), index(2, syncCRC: 0xABCD_EF01)])
    // The index difference explains the file's bytes: one finding.
    #expect(summary(findings) == ["index.mismatch partition-default:m/cyrus.index"])
    #expect(findings.last?.primary == "sync_crc 00001234")
    #expect(findings.last?.failover == "sync_crc abcdef01")
  }

  @Test func equalSyncCRCsInRewrittenIndexesAreNoDifference() throws {
    let findings = try diff(
      [directory(""), directory("m"), index(1, minor: 12, size: 900, syncCRC: 7)],
      [directory(""), directory("m"), index(2, syncCRC: 7)])
    #expect(summary(findings) == ["index.rewritten partition-default:m/cyrus.index"])
  }

  @Test func rewrittenIndexWithTheSameMessagesIsInfoNotADifference() throws {
    let findings = try diff(
      [directory(""), directory("m"), index(1, minor: 12, size: 900)],
      [directory(""), directory("m"), index(2)])
    #expect(summary(findings) == ["index.rewritten partition-default:m/cyrus.index"])
    #expect(findings.first?.severity == .info)
  }

  @Test func indexesThatDisagreeOnTheirMessagesAreAMismatch() throws {
    let findings = try diff(
      [directory(""), directory("m"), index(1)],
      [directory(""), directory("m"), index(2, lastUID: 10)])
    #expect(summary(findings) == ["index.mismatch partition-default:m/cyrus.index"])
    #expect(findings.last?.primary == "last_uid 9")
  }

  @Test func outOfOrderEntryIsAFindingAndSkipped() throws {
    let findings = try diff([directory(""), file("b"), file("a")], [directory(""), file("b")])
    #expect(summary(findings) == ["manifest.out-of-order partition-default:a"])
    #expect(findings.first?.side == .primary)
    #expect(findings.first?.reason == "after partition-default:b")
  }

  @Test func symlinkEscapingItsAreaIsReported() throws {
    var link = ManifestEntry(
      area: "partition-default", path: EntryPath("a/evil"), kind: .symlink,
      linkTarget: Array("../../etc".utf8))
    link.mode = 0o777
    var inside = link
    inside.path = EntryPath("a/fine")
    inside.linkTarget = Array("1.".utf8)
    let findings = try diff(
      [directory(""), directory("a")], [directory(""), directory("a"), link, inside])
    #expect(
      summary(findings) == [
        "symlink.outside-area partition-default:a/evil", "file.extra partition-default:a/evil",
        "file.extra partition-default:a/fine",
      ])
  }

  @Test func vanishedFileOnTheLivePrimaryIsAWarningNotAMissingFile() throws {
    var gone = file("x")
    gone.kind = .unknown
    gone.problem = .vanished
    let findings = try diff([directory(""), gone], [directory("")])
    #expect(summary(findings) == ["file.vanished partition-default:x"])
  }

  @Test func verdictFollowsSeverityThreshold() {
    let summary = FindingSummary()
    summary.emit(Finding(.hardLinkMismatch, side: .both))
    #expect(summary.verdict(VerdictPolicy(failOn: .warning)) == .differences)
    #expect(summary.verdict(VerdictPolicy(failOn: .error)) == .consistent)
    summary.emit(Finding(.unreadable, side: .failover))
    #expect(summary.verdict(VerdictPolicy(failOn: .error)) == .incomplete)
  }
}
