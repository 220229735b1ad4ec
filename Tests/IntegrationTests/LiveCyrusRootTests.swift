import Foundation
import TestSupport
import Testing

/// What a live instance's root is made of: its own configuration (a root copied whole is
/// refused until it has its own), no trace in the system's Cyrus, and the generated Cyrus 2.2
/// root whose service commands do nothing.
@Suite(.serialized)
struct LiveCyrusRootTests {
  @Test func rootCopiedWholeIsRefusedUntilItHasItsOwnConfiguration() throws {
    let original = try LiveCyrusInstance.create(named: "original")
    let directory = try TemporaryDirectory(prefix: "cyrus-live")
    let copy = directory.path + "/copy"
    try CyrusInstanceScript.program(["cp", "-a", original.root, copy])
    // Its etc/ names the original's paths: started, it would serve the original's data.
    let refused = try CyrusInstanceScript.run(["start", copy])
    #expect(refused.status == 4)
    #expect(refused.stderr.contains("came from another instance"), "\(refused.stderr)")

    // `create --force` gives the copied root its own etc/, ports and instance.json and keeps
    // the data it holds.
    try CyrusInstanceScript.must(["create", copy, "--force"])
    let adopted = try LiveCyrusInstance(root: copy)
    #expect(adopted.imapPort != original.imapPort)
    try original.start()
    try original.deliver(to: ["bert"], subject: "Before the copy")
    try original.stop()
    try original.copyDataAreas(to: adopted)
    try adopted.start()
    try original.start()
    let state = try adopted.state()
    #expect(state == (try original.state()))
    #expect(state.messages(in: "user.bert").count == 1)
  }

  @Test func systemCyrusIsNeverTouched() throws {
    // Names nothing else on this machine uses, so a trace of them in the system's trees can
    // only be this test's.
    let token = "t" + UUID().uuidString.prefix(8).lowercased()
    let before = SystemCyrusSnapshot.take()
    let instance = try LiveCyrusInstance.create(users: [token + "a", token + "b"])
    try instance.start()
    try instance.deliver(to: instance.users, count: 2, subject: token)
    try instance.imap(
      instance.users[0],
      [.create("INBOX.\(token)"), .subscribe("INBOX.\(token)"), .append("INBOX.\(token)")])
    _ = try instance.state()
    // Every process of the instance reads this root's configuration, and none holds a file of
    // the system's trees.
    let configuration = "-C\0" + instance.configFile
    for pid in instance.processes() {
      let arguments = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
      #expect(
        String(decoding: arguments, as: UTF8.self).contains(configuration)
          || arguments.isEmpty, "pid \(pid)")
    }
    let system = instance.openFiles().filter { path in
      SystemCyrusSnapshot.trees.contains { path == $0 || path.hasPrefix($0 + "/") }
    }
    #expect(system == [])
    try instance.stop()
    let blamed = SystemCyrusSnapshot.take().changes(since: before, token: token)
    #expect(blamed == [])
  }

  @Test func cyrus22RootHasServiceCommandsThatDoNothing() throws {
    let directory = try TemporaryDirectory(prefix: "cyrus-live")
    let root = directory.path + "/old"
    try CyrusInstanceScript.must(["create-22", root])
    let old = try LiveCyrusInstance(root: root)
    #expect(old.info.kind == "cyrus-2.2-generated")
    #expect(old.users == ["alice", "bob", "carol"])
    #expect(FileManager.default.fileExists(atPath: root + "/var/lib/cyrus/mailboxes.db"))
    try old.start()
    #expect(try old.status() == .stopped)
    try old.stop()
    #expect(try CyrusInstanceScript.run(["state", root]).status == 2)

    // The 3.6 failover that is to receive it: an ordinary instance with its users.
    let failover = try LiveCyrusInstance.create(named: "failover", users: old.users)
    #expect(Set(failover.dataAreas.map(\.role)) == Set(old.dataAreas.map(\.role)))
    try failover.start()
    let state = try failover.state()
    #expect(old.users.allSatisfy { state.mailbox("user." + $0) != nil })
    try failover.stop()
  }
}
