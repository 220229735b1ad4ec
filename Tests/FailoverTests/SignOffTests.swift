import CyrusStore
import Foundation
import Testing
import Verification

@testable import Failover
@testable import Remote

#if canImport(FoundationXML)
  import FoundationXML
#endif

/// The sign-off as a value: its JSON reads back into the same value, its own counts must give
/// its verdict, and its HTML page escapes every text from outside.
@Suite struct SignOffTests {
  /// Text a hostile tree or peer could put into a finding.
  static let hostile = "user.<script>alert('x')</script>&amp;\u{1B}[2J\u{7}\"q\""

  /// A verification's result with `findings`, as ``VerifySession`` ends.
  static func result(_ findings: [Finding], policy: VerdictPolicy = VerdictPolicy()) -> VerifyResult
  {
    let summary = FindingSummary(detailLimit: 2)
    for finding in findings { summary.emit(finding) }
    var context = VerifyContext(
      primary: .init(configFile: "/p/etc/imapd.conf", root: nil, areas: []),
      failover: .init(configFile: "/f/etc/imapd.conf", root: nil, areas: []), level: "meta")
    context.primaryEntries = 10
    context.failoverEntries = 11
    context.comparedEntries = 9
    return VerifyResult(verdict: summary.verdict(policy), summary: summary, context: context)
  }

  static let findings: [Finding] = {
    var seen = Finding(
      .seenMismatch, side: .both, area: "config", path: EntryPath("user/a/anna.seen"),
      mailbox: hostile, primary: "last UID 4, seen 1:2", failover: "no seen state")
    seen.user = "anna"
    return [
      Finding(
        .fileExtra, side: .failover, area: "partition-default",
        path: EntryPath(bytes: Array("uuid/x/<b>&".utf8) + [0x1B, 0xFF]), mailbox: hostile,
        failover: "file, 8 bytes"),
      seen,
      Finding(
        .fileMissing, side: .failover, area: "partition-default", path: "a/1.", mailbox: hostile),
      Finding(.subscriptionsUnknownMailbox, side: .both, area: "config", path: "sub.db"),
    ]
  }()

  static func side(_ role: String) -> SignOff.Side {
    SignOff.Side(
      role: role, given: "root@host:/etc/imapd.conf", place: "remote", host: "host-\(role)",
      machineID: "m-\(role)", configFile: "/etc/imapd.conf", root: nil,
      areas: ["config": "/var/lib/cyrus"], cyrusVersion: "3.6.1-4+deb12u5",
      cyrusPackages: ["cyrus-common": "3.6.1-4+deb12u5"], cyrusFamily: "3.6+",
      dataFamily: "3.6+", service: "systemd cyrus-imapd")
  }

  static func manifest(_ name: String) -> SignOff.Manifest {
    SignOff.Manifest(
      file: name, sha256: String(repeating: "a", count: 64),
      entriesDigest: String(repeating: "b", count: 64), entries: 10, bytes: 1000, level: "meta",
      includeRuntime: false, formatVersion: Int(ManifestFile.formatVersion), created: 1_700_000_000,
      origin: "host:/etc/imapd.conf", toolVersion: "0.1.0")
  }

  static func signOff(_ findings: [Finding] = findings) -> SignOff {
    let result = result(findings)
    var report = ProcedureReport(procedure: "sync")
    report.steps = [
      .init(
        id: "window.stop", title: "stop the primary's Cyrus", host: "primary",
        argv: ["sh", "-c", "echo '<stop>' && systemctl stop cyrus-imapd"], started: 1_700_000_000,
        ended: 1_700_000_002.5, outcome: "ok")
    ]
    report.window = .init(stopIssued: 1_700_000_000, startConfirmed: 1_700_000_010)
    var pass = Rsync.Statistics()
    pass.transferredBytes = 1234
    report.passes = ["pass2": pass]
    return SignOff(
      schema: SignOff.schemaName, version: SignOff.schemaVersion, toolVersion: "0.1.0",
      madeBy: "sync", created: "2026-01-01T00:00:00Z", verdict: result.verdict,
      exitStatus: ExitStatus(result.verdict).rawValue, level: "meta",
      policy: .init(VerdictPolicy()), primary: side("primary"), failover: side("failover"),
      procedure: .init(report), findings: .init(result),
      manifests: .init(primary: manifest("primary.cfm"), failover: manifest("failover.cfm")))
  }

  @Test func jsonReadsBackIntoTheSameSignOff() throws {
    let signOff = Self.signOff()
    let path = NSTemporaryDirectory() + "signoff-" + UUID().uuidString + ".json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    try Data(try signOff.jsonBytes()).write(to: URL(fileURLWithPath: path))
    #expect(try SignOff.read(path) == signOff)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(signOff.jsonBytes())) as? [String: Any])
    #expect(object["schema"] as? String == "cyrus-failover.signoff")
    #expect(object["version"] as? Int == 1)
    let findings = try #require(object["findings"] as? [String: Any])
    // None of these findings was classified as lag, so each counts as divergence.
    #expect(findings["classes"] as? [String: Int] == ["divergence": 4, "lag": 0])
    let groups = try #require(findings["groups"] as? [[String: Any]])
    let first = try #require((groups.first?["findings"] as? [[String: Any]])?.first)
    #expect(first["class"] as? String == "divergence")
    #expect(first["code"] as? String == "file.extra")
    let procedure = try #require(object["procedure"] as? [String: Any])
    #expect((procedure["window"] as? [String: Any])?["seconds"] as? Double == 10)
    #expect((procedure["bytes_moved"] as? [String: Any])?["transferred_bytes"] as? Int == 1234)
  }

  @Test func aVerdictThatDoesNotFollowFromTheCountsIsCaught() throws {
    var signOff = Self.signOff()
    #expect(signOff.verdict == .differences)
    #expect(SignOffInspection.countsCheck(signOff).passed)
    signOff.verdict = .consistent
    signOff.exitStatus = 0
    let check = SignOffInspection.countsCheck(signOff)
    #expect(!check.passed)
    #expect(check.detail.contains("its counts say differences"))
    // Shared conditions alone (the info subscription here) leave it consistent.
    let clean = Self.signOff([Self.findings[3]])
    #expect(clean.verdict == .consistent && SignOffInspection.countsCheck(clean).passed)
  }

  @Test func schemaVersionAndCutShortJSONAreRefusedWithTheReason() throws {
    let path = NSTemporaryDirectory() + "signoff-" + UUID().uuidString + ".json"
    defer { try? FileManager.default.removeItem(atPath: path) }
    let bytes = try Self.signOff().jsonBytes()
    for (content, words) in [
      (Array(bytes.prefix(bytes.count / 2)), "not JSON"),
      (Array(#"{"schema": "cyrus-failover.verify", "version": 1}"#.utf8), "not a sign-off"),
      (Array(#"{"schema": "cyrus-failover.signoff", "version": 2}"#.utf8), "reads version 1"),
      (Array(#"{"schema": "cyrus-failover.signoff", "version": 1}"#.utf8), "does not read"),
    ] {
      try Data(content).write(to: URL(fileURLWithPath: path))
      #expect {
        try SignOff.read(path)
      } throws: { error in
        "\(error)".contains(words)
      }
    }
  }

  @Test func theHTMLPageEscapesEveryOutsideText() throws {
    let page = Self.signOff().html
    #expect(!page.contains("<script"))
    #expect(!page.contains("\u{1B}") && !page.contains("\u{7}"))
    #expect(page.contains("user.&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;amp;\\x1b[2J"))
    #expect(page.contains("&lt;stop&gt;") && !page.contains("<stop>"))
    #expect(!page.contains("src=") && !page.contains("href="))
    // Well-formed as XML: every element closed, every entity one XML knows.
    let document = try XMLDocument(data: Data(page.utf8))
    let verdict = try document.nodes(forXPath: "//*[@id='verdict']")
    #expect(verdict.first?.stringValue == "Verdict: differences (exit status 1)")
    let codes = try document.nodes(forXPath: "//*[@data-code]/@data-code")
    // Two per group are listed (detail limit 2): file.extra and seen.mismatch of the hostile
    // mailbox; its file.missing is counted, not listed.
    #expect(
      codes.compactMap(\.stringValue) == [
        "file.extra", "seen.mismatch", "subscriptions.unknown-mailbox",
      ])
    #expect(page.contains("1 more in mailbox"))
  }
}
