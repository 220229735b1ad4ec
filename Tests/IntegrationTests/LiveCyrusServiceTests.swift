import Foundation
import TestSupport
import Testing

/// The service commands of a live instance (`start`, `stop`, `status`, `pid`), as the sync
/// will call them: stop leaves no process of the instance behind, instances run side by side
/// on their own ports, a root keeps to its own configuration, and the system's Cyrus is never
/// used.
@Suite(.serialized)
struct LiveCyrusServiceTests {
  /// Polls `condition` every 50 ms until it holds or `seconds` pass; whether it held.
  static func eventually(within seconds: Double = 30, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !condition() {
      if Date() > deadline { return false }
      usleep(50_000)
    }
    return true
  }

  /// A TCP connection to 127.0.0.1:PORT that has read the server's greeting, so a service
  /// process is serving it; closed by the caller.
  static func connect(_ port: Int) throws -> FileHandle {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        Foundation.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    guard connected == 0, handle.availableData.starts(with: Array("* OK".utf8)) else {
      throw ProcessFailure(description: "no IMAP greeting on port \(port)")
    }
    return handle
  }

  @Test func stopEndsEveryProcessOfTheInstance() throws {
    let instance = try LiveCyrusInstance.create()
    #expect(try instance.status() == .stopped)
    try instance.start()
    #expect(try instance.status() == .running)
    let client = try Self.connect(instance.imapPort)  // an imapd serving a client that stays
    defer { try? client.close() }
    #expect(instance.processes().count >= 3)  // master, imapd (this client's), lmtpd …
    let started = Date()
    try instance.stop(retry: "QUIT/20/TERM/10/KILL/5")
    #expect(Date().timeIntervalSince(started) < 35)
    #expect(instance.processes() == [])
    #expect(!FileManager.default.fileExists(atPath: instance.pidfile))
    #expect(try instance.status() == .stopped)
    try instance.stop()  // stopping a stopped instance succeeds, saying so
  }

  @Test func stopCleansUpAfterAKilledMaster() throws {
    let instance = try LiveCyrusInstance.create()
    try instance.start()
    let client = try Self.connect(instance.imapPort)
    defer { try? client.close() }
    let master = try #require(try instance.masterPID())
    kill(master, SIGKILL)
    #expect(Self.eventually { !LiveCyrusInstance.isLive(master) })
    // Its services outlive it, and the pidfile stays: LSB's "dead, but something is left".
    #expect(try instance.status() == .leftovers)
    #expect(try CyrusInstanceScript.run(["start", instance.root]).status == 1)
    try instance.stop(retry: "TERM/10/KILL/5")
    #expect(instance.processes() == [])
    #expect(try instance.status() == .stopped)
  }

  /// A master that does not react (stopped with SIGSTOP) is not waited for forever: without
  /// KILL in the schedule, stop gives up after its seconds and names what is left (exit 1);
  /// with it, every process of the instance is killed.
  @Test func stopFollowsItsScheduleUpToKill() throws {
    let instance = try LiveCyrusInstance.create()
    try instance.start()
    let master = try #require(try instance.masterPID())
    kill(master, SIGSTOP)
    let started = Date()
    let gaveUp = try CyrusInstanceScript.run(["stop", instance.root, "--retry", "QUIT/1/TERM/1"])
    #expect(gaveUp.status == 1)
    #expect(gaveUp.stderr.contains("processes of the instance remain"), "\(gaveUp.stderr)")
    #expect(Date().timeIntervalSince(started) < 15)
    #expect(instance.processes().contains(master))
    try instance.stop(retry: "QUIT/1/TERM/1/KILL/10")
    #expect(instance.processes() == [])
    #expect(try instance.status() == .stopped)
  }

  @Test func releasingTheFixtureStopsMaster() throws {
    var processes: [pid_t] = []
    do {
      let instance = try LiveCyrusInstance.create()
      try instance.start()
      processes = instance.processes()
      #expect(!processes.isEmpty)
    }
    #expect(processes.allSatisfy { !LiveCyrusInstance.isLive($0) })
  }

  @Test func twoInstancesServeSideBySide() throws {
    let first = try LiveCyrusInstance.create(named: "first")
    let second = try LiveCyrusInstance.create(named: "second")
    #expect(Set(first.info.ports.values).isDisjoint(with: second.info.ports.values))
    try first.start()
    try second.start()
    let id = try first.deliver(to: ["anna"])
    #expect(try first.state().messages(in: "user.anna").map { $0["message_id"] as? String } == id)
    #expect(try second.state().messages(in: "user.anna").isEmpty)
    try first.stop()
    #expect(try second.status() == .running)
    #expect(try second.state().mailbox("user.anna") != nil)
    try second.stop()
  }

  @Test func startTwiceKeepsOneMasterAndATakenPortIsRefused() throws {
    let first = try LiveCyrusInstance.create(named: "first")
    try first.start()
    let master = try first.masterPID()
    try first.start()
    #expect(try first.masterPID() == master)
    // A second instance configured onto the first one's IMAP port must not start (a
    // greeting on that port would come from the first instance).
    let directory = try TemporaryDirectory(prefix: "cyrus-live")
    try CyrusInstanceScript.must([
      "create", directory.path + "/second", "--imap-port", String(first.imapPort),
      "--no-inboxes",
    ])
    let second = try LiveCyrusInstance(root: directory.path + "/second")
    let refused = try CyrusInstanceScript.run(["start", second.root])
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("port \(first.imapPort) is taken"), "\(refused.stderr)")
    #expect(second.processes() == [])
  }
}
