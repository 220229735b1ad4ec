import Foundation
import TestSupport
import Testing

/// `cyrus-failover sync` between two real Cyrus 3.6 instances, the failover over the test sshd:
/// mail delivered and flags and subscriptions changed while the first pass runs, and in the
/// end the failover's own Cyrus serves what the primary serves.
@Suite(.serialized) struct SyncTests {
  /// Delivers over LMTP and changes flags over IMAP on the primary until `flag` exists (the
  /// stop command makes it), counting what was done and what failed (Cyrus going down).
  final class Load: @unchecked Sendable {
    private let lock = NSLock()
    private var counts = (delivered: 0, changes: 0, failures: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let primary: LiveCyrusInstance
    private let users: [String]
    private let flag: String

    init(_ pair: SyncPair, flag: String) {
      primary = pair.primary
      users = pair.users
      self.flag = flag
      Thread { [self] in loop() }.start()
    }

    private func loop() {
      var round = 0
      while !FileManager.default.fileExists(atPath: flag) {
        round += 1
        let user = users[round % users.count]
        do {
          try primary.deliver(to: [user], subject: "load \(round)")
          count { $0.delivered += 1 }
          try primary.imap(
            user,
            [
              .store("INBOX", uids: "1:*", operation: "+FLAGS", flags: ["\\Seen"]),
              round % 3 == 0 ? .subscribe("INBOX") : .unsubscribe("INBOX"),
            ])
          count { $0.changes += 1 }
        } catch {
          count { $0.failures += 1 }
        }
      }
      finished.signal()
    }

    private func count(_ change: (inout (delivered: Int, changes: Int, failures: Int)) -> Void) {
      lock.lock()
      change(&counts)
      lock.unlock()
    }

    var delivered: Int {
      lock.lock()
      defer { lock.unlock() }
      return counts.delivered
    }

    func wait() { finished.wait() }
  }

  @Test func deliveriesDuringTheFirstPassAllReachTheFailover() throws {
    let pair = try SyncPair()
    let server = try SSHServer()
    // Something in every mailbox of interest before the copy starts.
    for user in pair.users { try pair.primary.deliver(to: [user], count: 3) }
    try pair.primary.imap("anna", [.create("INBOX.Projects"), .subscribe("INBOX.Projects")])
    let flag = pair.directory.path + "/stopping"
    let load = Load(pair, flag: flag)
    // The stop command first ends the load (as an MTA's queue would hold mail), then stops.
    let stop = "sh -c 'touch \(flag); exec \(pair.service("stop", pair.primary))'"
    let result = try pair.sync(["--execute", "--format", "json"], over: server, stop: stop)
    load.wait()
    #expect(result.status == 0, "\(result.stderr)")
    #expect(load.delivered > 0, "no mail arrived while the first pass ran")
    let document = try SyncPair.document(result)
    let steps = SyncPair.steps(document)
    for id in [
      "pass1.config", "pass1.partition-default", "window.stop", "window.dump",
      "pass2.partition-default", "window.start", "window.wait-running", "verify",
    ] {
      #expect(steps[id]?["outcome"] as? String != nil, "no step \(id)")
      #expect(
        (steps[id]?["outcome"] as? String)?.hasPrefix("ok") == true, "\(id): \(steps[id] ?? [:])")
    }
    let report = try #require(document["report"] as? [String: Any])
    #expect(report["verdict"] as? String == "consistent")
    let window = try #require(report["window"] as? [String: Any])
    #expect(window["startConfirmed"] as? Double != nil)
    // The primary serves again; the failover's own Cyrus, started here, serves the same.
    #expect(try pair.primary.status() == .running)
    try pair.failover.start()
    let served = try pair.primary.state()
    let copied = try pair.failover.state()
    #expect(served == copied, "\(served.differenceReport(from: copied))")
    #expect(served.messages(in: "user.anna").count >= 3)
  }

  @Test func thePlanAloneChangesNothing() throws {
    let pair = try SyncPair()
    try pair.primary.deliver(to: ["anna"], count: 2)
    let snapshots = try [pair.primary, pair.failover].map {
      try SyncPair.snapshot($0, in: pair.directory.path)
    }
    let result = try pair.sync([])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("cyrus-failover sync: plan"))
    #expect(result.stdout.contains("$ rsync -aH"))
    #expect(try pair.primary.status() == .running)
    #expect(try pair.failover.status() == .stopped)
    for (instance, snapshot) in zip([pair.primary, pair.failover], snapshots) {
      #expect(try SyncPair.changes(instance, since: snapshot) == [])
    }
    #expect(!FileManager.default.fileExists(atPath: pair.state))
  }
}
