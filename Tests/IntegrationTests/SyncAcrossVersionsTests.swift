import Foundation
import TestSupport
import Testing

/// `cyrus-failover sync` of a Cyrus 2.2 primary (Berkeley DB mailboxes.db, minor-6 indexes,
/// skiplist seen files, Berkeley caches; `make-corpus-22.py`) to a real Cyrus 3.6 failover:
/// the versions differ, so the plan imports the mailbox list there with 3.6's own tools and
/// upgrades the rest (docs/formats/upgrade-22-to-36.md); afterwards 3.6 serves every mailbox,
/// message and \Seen state of the 2.2 data, and verify finds nothing but what the newer
/// Cyrus rebuilt.
@Suite(.serialized) struct SyncAcrossVersionsTests {
  @Test func aCyrus22PrimaryIsServedByTheCyrus36FailoverAfterTheImport() throws {
    let directory = try TemporaryDirectory(prefix: "c22-sync")
    chmod(directory.path, 0o755)
    let root = directory.path + "/primary"
    try CyrusInstanceScript.must(["create-22", root, "--sieve", "--berkeley-caches"])
    let primary = try LiveCyrusInstance(root: root)
    let failover = try LiveCyrusInstance.create(
      named: "failover", users: Model22.users, in: directory.path)
    let server = try SSHServer()
    let state = directory.path + "/state"
    // The 2.2 primary is a root directory (its imapd.conf names Debian's paths) and no Cyrus
    // serves it: copied as it is, no window.
    let result = try TestPrograms.run(
      [
        TestPrograms.executable, "sync", "--primary", primary.root, "--failover",
        "root@127.0.0.1:\(failover.configFile)", "--ssh", server.sshOption(),
        "--remote-command", TestPrograms.executable, "--failover-status",
        "python3 \(CyrusInstanceScript.path) status \(failover.root)", "--state-dir", state,
        "--lock", directory.path + "/lock", "--execute", "--format", "json",
      ], timeLimit: .seconds(900))
    #expect(result.status == 0, "\(result.stderr)")
    let document = try SyncPair.document(result)
    let plan = try #require(document["plan"] as? [String: Any])
    #expect(plan["versionMismatch"] as? Bool == true)
    let steps = SyncPair.steps(document)
    for id in [
      "import.aside.mailboxes.db", "import.aside.deliver.db", "import.load", "import.check",
      "import.databases", "import.reconstruct", "import.check-indexes", "import.quota", "verify",
    ] {
      #expect(
        (steps[id]?["outcome"] as? String)?.hasPrefix("ok") == true, "\(id): \(steps[id] ?? [:])")
    }
    let report = try #require(document["report"] as? [String: Any])
    #expect(report["verdict"] as? String == "consistent")
    // What remains are things 3.6 rebuilt or rewrote, each information, nothing else.
    let findings = document["findings"] as? [[String: Any]] ?? []
    let codes = Set(findings.compactMap { $0["code"] as? String })
    #expect(
      codes.isSubset(of: [
        "file.rebuilt", "index.rewritten", "state.rewritten", "mailboxes-db.rewritten",
        "file.mtime-mismatch",
      ]), "\(codes)")
    #expect(findings.allSatisfy { $0["severity"] as? String == "info" }, "\(findings)")
    // The copied mailboxes.db is kept aside, never deleted.
    let aside = try FileManager.default.contentsOfDirectory(atPath: state)
      .filter { $0.hasPrefix("aside-") }
    #expect(aside.count == 1)
    try failover.start()
    try Upgrade22To36Tests.expectServesModel(
      try failover.state(modseq: false), primary22: primary.root)
  }
}
