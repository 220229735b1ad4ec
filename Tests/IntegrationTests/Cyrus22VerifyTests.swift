import Foundation
import Testing

/// A Cyrus 2.2 primary and failover written by `scripts/make-corpus-22.py` (Berkeley DB
/// mailboxes.db, minor-6 indexes, skiplist seen, flat subscriptions, quotalegacy) into a fresh
/// temporary directory for one test, and removed afterwards.
final class Cyrus22Pair {
  let directory: String
  var primary: String { directory + "/primary" }
  var failover: String { directory + "/failover" }

  /// Writes both sides; each gets its own variants (`--list-variants` of the script).
  init(primary primaryVariants: [String] = [], failover failoverVariants: [String] = [])
    throws
  {
    directory = NSTemporaryDirectory() + "cyrus-failover-22-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    try Self.generate(primary, variants: primaryVariants)
    try Self.generate(failover, variants: failoverVariants)
  }

  deinit { try? FileManager.default.removeItem(atPath: directory) }

  /// Runs the generator into `root`.
  static func generate(_ root: String, variants: [String], options: [String] = []) throws {
    try Tool.must(
      ["python3", Tool.repository + "/scripts/make-corpus-22.py"]
        + variants.flatMap { ["--variant", $0] } + options + [root])
  }

  /// `verify --format json` of the pair.
  func verify(_ extra: [String] = []) throws -> (
    status: Int32, findings: [String], json: [String: Any]
  ) {
    try Tool.verify(["--primary", primary, "--failover", failover] + extra)
  }
}

/// One variant of the failover and what verify must report for it: the complete set of
/// findings as `code area:path` (mailbox-list findings as `code mailbox [side]`).
struct Cyrus22Case: CustomTestStringConvertible, Sendable {
  var variant: String
  var findings: Set<String>
  var status: Int32 = 1
  var testDescription: String { variant }
}

/// `verify` on a Cyrus 2.2 instance: consistent pairs stay silent at every level, and each
/// single change on the failover gives exactly its findings.
@Suite(.serialized) struct Cyrus22VerifyTests {
  @Test(arguments: ["meta", "guid", "full"])
  func consistentPairHasNoFindings(level: String) throws {
    // Two runs of the generator give the same bytes: any finding here is a false one (at
    // `--level guid` a 2.2 index holds no GUIDs to compare).
    let pair = try Cyrus22Pair()
    let result = try pair.verify(["--level", level])
    #expect(result.findings == [])
    #expect(result.status == 0)
  }

  @Test func instanceAgainstItselfIsConsistent() throws {
    let pair = try Cyrus22Pair()
    let result = try Tool.verify(["--primary", pair.primary, "--failover", pair.primary])
    #expect(result.findings == [])
    #expect(result.status == 0)
  }

  static let cases: [Cyrus22Case] = [
    // Seen state and subscriptions: the code and the file, whatever the detail says.
    Cyrus22Case(
      variant: "seen-changed",
      findings: ["seen.mismatch config:user/a/alice.seen"]),
    Cyrus22Case(
      variant: "sub-removed",
      findings: ["subscriptions.mismatch config:user/b/bob.sub"]),
    Cyrus22Case(
      variant: "sub-stale",
      findings: [
        "subscriptions.mismatch config:user/a/alice.sub",
        "subscriptions.unknown-mailbox config:user/a/alice.sub",
      ]),
    Cyrus22Case(
      variant: "message-missing",
      findings: [
        "file.missing partition-default:b/user/bob/3.",
        "message.file-missing partition-default:b/user/bob/3.",
      ]),
    Cyrus22Case(
      variant: "message-changed",
      findings: ["file.content-mismatch partition-default:b/user/bob/1."]),
    Cyrus22Case(
      variant: "index-flags-changed",
      findings: ["index.mismatch partition-default:a/user/alice/cyrus.index"]),
    Cyrus22Case(
      variant: "index-truncated",
      findings: [
        // The damage is the failover's condition, the lost record the difference (which
        // explains the size). The last record is cut off, so its message file has no record
        // on that side.
        "index.damaged partition-default:a/user/alice/cyrus.index",
        "index.mismatch partition-default:a/user/alice/cyrus.index",
        "message.file-orphan partition-default:a/user/alice/6.",
      ]),
    Cyrus22Case(
      variant: "mailbox-missing",
      findings: [
        // mailboxes.db's content: explained by mailbox.missing.
        "mailbox.directory-orphan user.carol.Trash [failover]",
        "mailbox.missing user.carol.Trash [failover]",
        "mailboxlist.stale user.carol.Trash [failover]",
        // carol's subscription to it now names a mailbox the failover's list lacks.
        "subscriptions.unknown-mailbox config:user/c/carol.sub",
      ]),
    Cyrus22Case(
      variant: "acl-changed",
      findings: [
        "file.size-mismatch partition-default:b/user/bob/cyrus.header",
        "mailbox.acl-mismatch user.bob [both]", "mailboxlist.stale user.bob [failover]",
      ]),
    Cyrus22Case(
      variant: "quota-changed",
      findings: ["quota.mismatch config:quota/c/user.carol"]),
  ]

  @Test(arguments: cases)
  func oneChangeOnTheFailover(_ expected: Cyrus22Case) throws {
    let pair = try Cyrus22Pair(failover: [expected.variant])
    let result = try pair.verify()
    // Per-mailbox itemizing may report one change more than once; the set is what is fixed.
    #expect(Set(result.findings) == expected.findings)
    #expect(result.status == expected.status)
  }

  @Test func seenRecordIsNamedThroughThe22Headers() throws {
    // 2.2's mailboxes.db holds no uniqueids: the seen record's mailbox is found through the
    // uniqueid in the spool's cyrus.header files, and both seen values are shown.
    let pair = try Cyrus22Pair(failover: ["seen-changed"])
    let result = try pair.verify()
    let findings = result.json["findings"] as? [[String: Any]] ?? []
    let seen = try #require(findings.first { $0["code"] as? String == "seen.mismatch" })
    #expect(seen["mailbox"] as? String == "user.alice")
    #expect(seen["primary"] as? String == "last UID 7, seen 1:4")
    #expect(seen["failover"] as? String == "last UID 7, seen 1:5")
    #expect((seen["detail"] as? String)?.hasPrefix("user alice, uniqueid ") == true)
  }

  @Test func staleSubscriptionOnBothSidesIsInformationOnly() throws {
    // A subscription outlives its mailbox (2.2 keeps it): found on each side alike, it is one
    // piece of information with side both, and no difference.
    let pair = try Cyrus22Pair(primary: ["sub-stale"], failover: ["sub-stale"])
    let result = try pair.verify()
    #expect(result.findings == ["subscriptions.unknown-mailbox config:user/a/alice.sub"])
    let sides = (result.json["findings"] as? [[String: Any]])?.compactMap { $0["side"] as? String }
    #expect(sides == ["both"])
    #expect(result.status == 0)
  }

  @Test func guidLevelStillComparesMessagesWithoutGUIDs() throws {
    // A 2.2 index records no GUID, so a message file cannot be checked against one: its
    // content must still be compared (by SHA-256), not skipped.
    let pair = try Cyrus22Pair(failover: ["message-changed"])
    let result = try pair.verify(["--level", "guid"])
    #expect(result.findings == ["file.content-mismatch partition-default:b/user/bob/1."])
    #expect(result.status == 1)
  }

  @Test func guidLevelReportsFlagsButNoGUIDs() throws {
    let pair = try Cyrus22Pair(failover: ["index-flags-changed"])
    let result = try pair.verify(["--level", "guid"])
    #expect(result.findings == ["index.mismatch partition-default:a/user/alice/cyrus.index"])
    // The index summaries of a 2.2 side carry no GUID digest to disagree on.
    let findings = result.json["findings"] as? [[String: Any]] ?? []
    let values = findings.flatMap { [$0["primary"], $0["failover"]].compactMap { $0 as? String } }
    #expect(values.allSatisfy { !$0.contains("GUID") })
  }

  @Test(arguments: ["primary", "failover"])
  func truncatedIndexIsDamageOnItsSide(side: String) throws {
    let pair =
      side == "primary"
      ? try Cyrus22Pair(primary: ["index-truncated"])
      : try Cyrus22Pair(failover: ["index-truncated"])
    let result = try pair.verify()
    #expect(result.status == 1, "a damaged index is never consistent")
    let findings = result.json["findings"] as? [[String: Any]] ?? []
    let damaged = findings.filter { $0["code"] as? String == "index.damaged" }
    #expect(damaged.count == 1)
    #expect(damaged.first?["side"] as? String == side)
    #expect(damaged.first?["mailbox"] as? String == "user.alice")
    #expect((damaged.first?["detail"] as? String)?.contains("0x13C") == true)
    let orphan = findings.first { $0["code"] as? String == "message.file-orphan" }
    #expect(orphan?["side"] as? String == side)
  }

  @Test func dumpOfTheBerkeleyListIsTheGeneratedDump() throws {
    let pair = try Cyrus22Pair()
    let config = pair.primary + "/var/lib/cyrus"
    let expected = try String(contentsOfFile: config + "/mailboxlist.txt", encoding: .utf8)
    let dump = try Tool.run([
      Tool.executable, "mboxlist", "dump", "--instance", pair.primary, "--format", "cyrus22",
    ])
    #expect(dump.status == 0)
    #expect(dump.stdout == expected)
    #expect(expected.split(separator: "\n").count == 11)
    let direct = try Tool.run([
      Tool.executable, "mboxlist", "dump", "--db", config + "/mailboxes.db", "--format", "cyrus22",
    ])
    #expect(direct.stdout == expected)
    let check = try Tool.run([Tool.executable, "mboxlist", "check", "--instance", pair.primary])
    #expect(check.status == 0, "\(check.stdout)")
  }

  @Test func debianDumpFormat() throws {
    let pair = try Cyrus22Pair()
    let root = pair.directory + "/debian"
    try Cyrus22Pair.generate(root, variants: [], options: ["--dump-format", "debian"])
    let expected = try String(
      contentsOfFile: root + "/var/lib/cyrus/mailboxlist.txt", encoding: .utf8)
    #expect(expected.hasPrefix("shared.news\t0 default\tanyone\tlrs\t"))
    let dump = try Tool.run([
      Tool.executable, "mboxlist", "dump", "--instance", root, "--format", "cyrus22-debian",
    ])
    #expect(dump.stdout == expected)
    let check = try Tool.run([Tool.executable, "mboxlist", "check", "--instance", root])
    #expect(check.status == 0, "\(check.stdout)")
  }
}
