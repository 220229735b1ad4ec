import Foundation
import TestSupport
import Testing

/// Lag versus divergence (issue 12): after a sync the primary serves again and changes; verify
/// with the manifest saved in the stopped window calls what changed on the primary since then
/// lag (information, exit 0) and what differs from the copy as it was made divergence.
@Suite(.serialized) struct LagTests {
  func syncedPair() throws -> (SyncPair, manifest: String) {
    let pair = try SyncPair()
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    let result = try pair.sync(["--execute"])
    #expect(result.status == 0, "\(result.stderr)")
    let manifest = try #require(
      try FileManager.default.contentsOfDirectory(atPath: pair.state)
        .first { $0.hasPrefix("source-") && $0.hasSuffix(".cfm") })
    return (pair, pair.state + "/" + manifest)
  }

  func verify(_ pair: SyncPair, _ extra: [String]) throws -> (Int32, [[String: Any]]) {
    let result = try TestPrograms.run(
      [
        TestPrograms.executable, "verify", "--primary", pair.primary.configFile, "--failover",
        pair.failover.configFile, "--format", "json", "--no-progress",
      ] + extra)
    let object =
      try JSONSerialization.jsonObject(with: Data(result.output)) as? [String: Any] ?? [:]
    return (result.status, object["findings"] as? [[String: Any]] ?? [])
  }

  @Test func deliveriesAfterTheCopyAreLagAndDoNotFailTheRun() throws {
    let (pair, manifest) = try syncedPair()
    try pair.primary.deliver(to: ["anna"], count: 2)
    try pair.primary.imap("bert", [.create("INBOX.New")])
    // Without the manifest these are differences.
    let (plain, plainFindings) = try verify(pair, [])
    #expect(plain == 1)
    #expect(!plainFindings.isEmpty)
    let (status, findings) = try verify(pair, ["--since-manifest", manifest])
    #expect(status == 0, "\(findings)")
    #expect(!findings.isEmpty)
    for finding in findings {
      #expect(finding["change"] as? String == "lag", "\(finding)")
      #expect(finding["severity"] as? String == "info", "\(finding)")
    }
  }

  @Test func aChangeToTheCopyIsDivergenceEvenWhileThePrimaryMoves() throws {
    let (pair, manifest) = try syncedPair()
    try pair.primary.deliver(to: ["anna"], count: 1)
    // A message of bert's the copy had at the sign-off, gone from the failover: divergence.
    let state = try pair.primary.state()
    let file = try pair.failover.messageFile(mailbox: "user.bert", uid: 1, in: state)
    try FileManager.default.removeItem(atPath: file)
    let (status, findings) = try verify(pair, ["--since-manifest", manifest])
    #expect(status == 1)
    let divergent = findings.filter { $0["change"] as? String == "divergence" }
    #expect(!divergent.isEmpty)
    #expect(
      divergent.allSatisfy { ($0["path"] as? String)?.hasSuffix("/1.") == true }, "\(divergent)")
    #expect(findings.contains { $0["change"] as? String == "lag" })
  }

  @Test func withoutAManifestASecondLookAfterSettlingTellsThem() throws {
    let (pair, _) = try syncedPair()
    let state = try pair.primary.state()
    let file = try pair.failover.messageFile(mailbox: "user.bert", uid: 1, in: state)
    try FileManager.default.removeItem(atPath: file)
    // Deliveries go on while the two looks are taken: what they change is lag.
    let deliveries = Thread {
      for _ in 0..<4 {
        try? pair.primary.deliver(to: ["anna"], count: 1)
        Thread.sleep(forTimeInterval: 0.5)
      }
    }
    deliveries.start()
    let (status, findings) = try verify(pair, ["--settle", "2"])
    #expect(status == 1)
    #expect(
      findings.filter { $0["change"] as? String == "divergence" }.contains {
        ($0["path"] as? String)?.hasSuffix("/1.") == true
      })
  }
}
