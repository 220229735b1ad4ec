import Foundation
import Remote
import Testing

@testable import Failover

/// The plans `sync`, `backup` and `restore` make, checked on their recorded argv: nothing here
/// runs a program (the integration tests run the same plans against real Cyrus and rsync).
@Suite struct SyncPlannerTests {
  let ssh: SSHSettings

  init() throws {
    ssh = try SSHSettings(ssh: "ssh -p 2222", environment: [:])
  }

  @Test func aSyncIsTwoPassesAroundTheWindowThenVerify() {
    let plan = SyncPlanner.plan(
      source: Sides.primary(), destination: Sides.failover(), settings: Sides.settings(ssh: ssh))
    #expect(plan.refusals.isEmpty, "\(plan.refusals)")
    #expect(
      plan.steps.map(\.id) == [
        "prepare.directories", "pass1.config", "pass1.partition-default", "window.stop",
        "window.wait-stopped", "window.dump", "window.manifest", "pass2.config",
        "pass2.partition-default", "window.start", "window.wait-running", "verify",
      ])
    #expect(plan.windowStart == "window.stop" && plan.windowEnd == "window.start")
    #expect(plan.recoverySteps.map(\.id) == ["window.start", "window.wait-running"])
    #expect(!plan.versionMismatch)
  }

  @Test func rsyncKeepsHardLinksDeletesAfterAndGoesOverTheSameSSH() throws {
    let plan = SyncPlanner.plan(
      source: Sides.primary(), destination: Sides.failover(), settings: Sides.settings(ssh: ssh))
    let pass1 = try #require(plan.steps.first { $0.id == "pass1.config" })
    let pass2 = try #require(plan.steps.first { $0.id == "pass2.config" })
    let argv = try #require(pass1.argv)
    #expect(
      argv.prefix(7) == [
        "rsync", "-aH", "-s", "--modify-window=-1", "--delete", "--delete-after", "--stats",
      ])
    #expect(argv.contains("--exclude=/socket/*"))
    #expect(argv.contains("--exclude=/db/__db.*"))
    #expect(!argv.contains("--numeric-ids"), "owners are mapped by name")
    let shell = try #require(argv.firstIndex(of: "-e"))
    #expect(argv[shell + 1].hasPrefix("ssh -p 2222 -o BatchMode=yes -o ServerAliveInterval=15"))
    #expect(argv.suffix(2) == ["/p/var/lib/cyrus/", "root@f:/f/var/lib/cyrus/"])
    // Files vanish while Cyrus serves; once it is stopped, they must not.
    #expect(pass1.tolerated == [Rsync.vanishedFiles])
    #expect(pass2.tolerated.isEmpty)
    #expect(pass2.argv == pass1.argv)
  }

  @Test func aRunningFailoverIsRefused() {
    let plan = SyncPlanner.plan(
      source: Sides.primary(), destination: Sides.failover(running: true),
      settings: Sides.settings())
    #expect(plan.refusals.map(\.name) == ["failover-not-running"])
  }

  @Test func aFailoverOnThePrimarysOwnDirectoriesIsRefused() {
    // The same inode, whatever the path says (a bind mount, a symlink): writing there would
    // write to the primary.
    let plan = SyncPlanner.plan(
      source: Sides.primary(),
      destination: Sides.failover(place: .local, root: "/elsewhere", inodeBase: 10, machine: "m1"),
      settings: Sides.settings())
    #expect(plan.refusals.map(\.name) == ["direction"])
    let overlapping = SyncPlanner.plan(
      source: Sides.primary(),
      destination: Sides.failover(place: .local, root: "/p/var/lib/cyrus/x", machine: "m1"),
      settings: Sides.settings())
    #expect(overlapping.refusals.map(\.name) == ["direction"])
    // The same paths on another machine are another failover.
    let remote = SyncPlanner.plan(
      source: Sides.primary(), destination: Sides.failover(root: "/p", inodeBase: 10),
      settings: Sides.settings(ssh: ssh))
    #expect(remote.refusals.isEmpty)
  }

  @Test func aRunningPrimaryWithoutServiceCommandsIsRefused() {
    let plan = SyncPlanner.plan(
      source: Sides.primary(service: nil), destination: Sides.failover(),
      settings: Sides.settings())
    #expect(plan.refusals.map(\.name) == ["primary-service"])
  }

  @Test func aStoppedPrimaryIsCopiedAsItIsAndLeftStopped() {
    let plan = SyncPlanner.plan(
      source: Sides.primary(running: false), destination: Sides.failover(),
      settings: Sides.settings())
    #expect(plan.refusals.isEmpty)
    #expect(plan.windowStart == nil)
    #expect(
      !plan.steps.contains { $0.argv == Sides.service.stop || $0.argv == Sides.service.start })
    #expect(
      plan.steps.map(\.id) == [
        "prepare.directories", "copy.dump", "copy.manifest", "pass2.config",
        "pass2.partition-default", "verify",
      ])
  }

  @Test func notEnoughFreeSpaceIsRefused() {
    let plan = SyncPlanner.plan(
      source: Sides.primary(used: 5000), destination: Sides.failover(free: 6000),
      settings: Sides.settings())
    #expect(plan.refusals.map(\.name) == ["free-space"])
  }

  @Test func aVersionMismatchImportsTheListWithTheFailoversOwnTool() throws {
    let plan = SyncPlanner.plan(
      source: Sides.primary(dataFamily: .cyrus22), destination: Sides.failover(),
      settings: Sides.settings(ssh: ssh))
    #expect(plan.versionMismatch)
    #expect(plan.refusals.isEmpty)
    let ids = plan.steps.map(\.id)
    // The recipe of docs/formats/upgrade-22-to-36.md; tls_sessions.db is not copied (runtime).
    #expect(
      Array(ids.drop { !$0.hasPrefix("import.") }) == [
        "import.aside-directory", "import.socket", "import.ownership", "import.aside.mailboxes.db",
        "import.aside.deliver.db", "import.convert", "import.load", "import.check",
        "import.databases", "import.reconstruct", "import.check-indexes", "import.quota", "verify",
      ])
    let load = try #require(plan.steps.first { $0.id == "import.load" })
    #expect(load.argv == ["/usr/lib/cyrus/bin/ctl_mboxlist", "-C", "/f/etc/imapd.conf", "-u"])
    #expect(load.input == "/var/lib/cyrus-failover/mailboxlist-20261204T000000Z.import")
    #expect(load.failsOnErrorOutput)
    #expect(load.place == .remote("root@f"))
    let aside = try #require(plan.steps.first { $0.id == "import.aside.mailboxes.db" })
    #expect(
      aside.argv == [
        "mv", "-T", "--", "/f/var/lib/cyrus/mailboxes.db",
        "/var/lib/cyrus-failover/aside-20261204T000000Z/mailboxes.db.20261204T000000Z",
      ])
    let reconstruct = try #require(plan.steps.first { $0.id == "import.reconstruct" })
    #expect(
      reconstruct.argv == [
        "/usr/lib/cyrus/bin/reconstruct", "-C", "/f/etc/imapd.conf", "-V", "max",
      ])
    let missingTool = SyncPlanner.plan(
      source: Sides.primary(dataFamily: .cyrus22), destination: Sides.failover(ctlMboxlist: false),
      settings: Sides.settings(ssh: ssh))
    #expect(missingTool.refusals.map(\.name) == ["import-tools"])
  }

  @Test func aBackupHasNoImportAndARestoreStartsOnlyWhenAsked() {
    let backup = SyncPlanner.plan(
      source: Sides.primary(dataFamily: .cyrus22),
      destination: Sides.failover(place: .local, root: "/opt/backup-cyrus"),
      settings: Sides.settings(.backup))
    #expect(!backup.versionMismatch)
    var restoreSettings = Sides.settings(.restore)
    var target = Sides.failover(place: .local, root: "/target")
    target.service = Sides.service
    let restore = SyncPlanner.plan(
      source: Sides.primary(running: false, service: nil), destination: target,
      settings: restoreSettings)
    #expect(!restore.steps.contains { $0.phase == .finish })
    restoreSettings.startDestination = true
    let started = SyncPlanner.plan(
      source: Sides.primary(running: false, service: nil), destination: target,
      settings: restoreSettings)
    #expect(started.steps.suffix(2).map(\.id) == ["finish.start", "finish.wait-running"])
    #expect(started.windowStart == nil)
  }

  @Test func thePlanReadsAsTextAndRoundTripsAsJSON() throws {
    let plan = SyncPlanner.plan(
      source: Sides.primary(), destination: Sides.failover(), settings: Sides.settings(ssh: ssh))
    #expect(plan.text.contains("|  4. [primary on this host] stop the primary's Cyrus"))
    #expect(plan.text.contains("$ svc stop"))
    let data = try JSONEncoder().encode(plan)
    #expect(try JSONDecoder().decode(Plan.self, from: data) == plan)
  }
}
