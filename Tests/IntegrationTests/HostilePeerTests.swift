import Foundation
import TestSupport
import Testing

/// `verify` against a hostile peer (a fake `--ssh` program speaking the agent protocol): every
/// way it can misbehave ends in exit 2 naming the peer, within seconds and in bounded memory,
/// and nothing it says reaches the terminal raw (issue 13).
@Suite struct HostilePeerTests {
  /// Control characters a terminal acts on: ESC, BEL, CSI and a raw newline inside peer text.
  static func expectNoRawControl(_ text: String) {
    #expect(!text.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{9B}" })
    #expect(!text.split(separator: "\n").contains { $0.hasPrefix("forged") })
  }

  /// A subtree of a million files only the peer has costs no more memory than ten thousand:
  /// the pairing never queues a one-sided subtree whole.
  @Test func oneSidedMillionFilesStayInBoundedMemory() throws {
    let peer = try HostilePeer()
    let small = try peer.verify("one-sided", "10000")
    let large = try peer.verify("one-sided", "1000000")
    #expect(small.result.stdout.contains("10001 on the failover"), "\(small.result.stdout)")
    #expect(large.result.stdout.contains("1000001 on the failover"), "\(large.result.stdout)")
    #expect(small.peakKiB > 0 && large.peakKiB > 0)
    // Before the fix: about 440 MiB for the million against 36 MiB for ten thousand.
    #expect(
      large.peakKiB - small.peakKiB < 32 << 10,
      "peak \(large.peakKiB) KiB for 1M entries, \(small.peakKiB) KiB for 10k")
  }

  /// Empty `fileChunk` frames without end: refused at the first one, never a spin.
  @Test func endlessEmptyChunksEndInExitTwo() throws {
    let (result, _) = try HostilePeer().verify("empty-chunks")
    #expect(result.status == 2)
    #expect(result.stderr.contains("the agent on 127.0.0.1 broke the protocol"))
    #expect(result.stderr.contains("a chunk of /x/config/mailboxes.db of 0 bytes; 16 expected"))
  }

  /// A group whose members, once it is opened, are not the segments it announced (protocol
  /// 7): refused, so a peer cannot have a group settled by one digest and its segments by others.
  @Test func aGroupWhoseMembersDoNotMatchEndsInExitTwo() throws {
    let (result, _) = try HostilePeer().verify("group-lies")
    #expect(result.status == 2)
    #expect(result.stderr.contains("the agent on 127.0.0.1 broke the protocol"))
    #expect(result.stderr.contains("an opened group's segments do not match its digest"))
  }

  /// An opened group's member that claims more entries than the group: refused at once, before
  /// any detail of it is taken.
  @Test func aMemberOverItsGroupsEntriesEndsInExitTwo() throws {
    let (result, _) = try HostilePeer().verify("group-overfull")
    #expect(result.status == 2)
    #expect(result.stderr.contains("an opened group's segments hold more entries than it"))
  }

  /// An `end` whose totals are not what the groups announced.
  @Test func anEndThatDisagreesWithTheGroupsEndsInExitTwo() throws {
    let (result, _) = try HostilePeer().verify("wrong-end")
    #expect(result.status == 2)
    #expect(!result.stdout.contains("CONSISTENT"))
    let expected = "the walk ended with 5 segments and 1 entries; 1 and 1 were announced"
    #expect(result.stderr.contains(expected), "\(result.stderr)")
  }

  /// Groups of segments without end and never a member or a detail: refused once past the
  /// agent's window, never kept.
  @Test func floodOfSummariesEndsInExitTwo() throws {
    let (result, peak) = try HostilePeer().verify("flood-summaries")
    #expect(result.status == 2)
    #expect(result.stderr.contains("the agent on 127.0.0.1 broke the protocol"))
    #expect(result.stderr.contains("summaries sent ahead of a detail"))
    #expect(peak < 64 << 10, "peak \(peak) KiB")
  }

  /// A segment small on the wire whose shared-prefix paths would decode to 240 MiB.
  @Test func pathsThatDecodeTooLargeEndInExitTwo() throws {
    let (result, peak) = try HostilePeer().verify("long-paths")
    #expect(result.status == 2)
    #expect(result.stderr.contains("paths of more than \(1 << 20 + 1 << 16) bytes in one segment"))
    #expect(peak < 64 << 10, "peak \(peak) KiB")
  }

  /// A detail larger than any segment the agent cuts.
  @Test func oversizedDetailEndsInExitTwo() throws {
    let (result, _) = try HostilePeer().verify("big-detail")
    #expect(result.status == 2)
    #expect(result.stderr.contains("a segment's detail of 2097187 bytes is over the limit"))
  }

  /// Escapes in the peer's diagnostics and error text are shown escaped, and its newline
  /// cannot start a line of its own.
  @Test func escapesInTheAgentsTextAreShownEscaped() throws {
    let (result, _) = try HostilePeer().verify("escapes")
    #expect(result.status == 2)
    #expect(result.stderr.contains("127.0.0.1: a diagnostic \\x1b[31mred"))
    #expect(result.stderr.contains("the agent on 127.0.0.1 reports: an error \\x1b[31mred"))
    Self.expectNoRawControl(result.stderr)
    Self.expectNoRawControl(result.stdout)
  }

  /// What something else than the agent wrote, a hello's tool version, and ssh's own standard
  /// error are shown escaped too.
  @Test(arguments: [
    ("garbage", "did not answer as a cyrus-failover agent; it wrote \"Welcome \\x1b[31m"),
    ("hello-escapes", "is version 9.9 \\x1b[31mred"),
    ("stderr-escapes", "(ssh said: ssh: connect to host: \\x1b[31mred"),
  ])
  func escapesBeforeTheHandshakeAreShownEscaped(scenario: String, shown: String) throws {
    let (result, _) = try HostilePeer().verify(scenario)
    #expect(result.status == 2)
    #expect(result.stderr.contains(shown), "stderr: \(result.stderr)")
    Self.expectNoRawControl(result.stderr)
  }
}
