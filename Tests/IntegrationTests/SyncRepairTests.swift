import Foundation
import TestSupport
import Testing

/// `sync --repair --sign-off` on two real Cyrus 3.6 instances: a failover damaged after the
/// last pass (by the primary's start command, the one moment between pass 2 and the final
/// verification a test can choose) verifies with differences; the repair that follows moves
/// what differs, and the sign-off records the repaired, consistent copy with the repair's steps.
@Suite(.serialized) struct SyncRepairTests {
  @Test func differencesAfterTheCopyAreRepairedAndSignedOff() throws {
    let pair = try SyncPair()
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    let before = try pair.primary.state()
    // The message exists on the failover after pass 1 (same uniqueid on both sides).
    let first = try pair.sync(["--execute"])
    try #require(first.status == 0, "\(first.stderr)")
    let lost = try pair.failover.messageFile(mailbox: "user.anna", uid: 2, in: before)
    let stray = (lost as NSString).deletingLastPathComponent + "/stray"
    let start = pair.directory.path + "/start-and-damage"
    try SyncFaults.writeProgram(
      start,
      """
      #!/bin/sh
      rm -f -- '\(lost)'
      echo stray > '\(stray)'
      exec \(pair.service("start", pair.primary))
      """)

    let signOff = pair.directory.path + "/signoff"
    let result = try pair.sync(
      ["--execute", "--repair", "--sign-off", signOff, "--format", "json"], start: start)
    #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
    let document = try SyncPair.document(result)
    let report = document["report"] as? [String: Any] ?? [:]
    #expect(report["verdict"] as? String == "differences", "the copy differed before the repair")
    let repair = try #require(document["repair"] as? [String: Any], "one JSON document")
    let rounds = repair["rounds"] as? [[String: Any]] ?? []
    #expect(rounds.count == 1)
    #expect(rounds.first?["verdict"] as? String == "consistent")
    #expect(FileManager.default.fileExists(atPath: lost), "the lost message is back")
    #expect(!FileManager.default.fileExists(atPath: stray), "the stray file is gone")

    let data = try Data(contentsOf: URL(fileURLWithPath: signOff + "/signoff.json"))
    let signed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    #expect(signed["verdict"] as? String == "consistent")
    let procedure = signed["procedure"] as? [String: Any] ?? [:]
    let ids = (procedure["steps"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    #expect(ids.contains("pass2.partition-default"))
    #expect(ids.contains { $0.hasPrefix("repair1.") }, "\(ids)")
    #expect(procedure["outcome"] as? String == "completed")
    let verified = try TestPrograms.run([
      TestPrograms.executable, "verify-sign-off", signOff,
    ])
    #expect(verified.status == 0, "\(verified.stdout)\n\(verified.stderr)")

    try pair.failover.start()
    let served = try pair.primary.state()
    let copied = try pair.failover.state()
    #expect(served == copied, "\(served.differenceReport(from: copied))")
  }
}
