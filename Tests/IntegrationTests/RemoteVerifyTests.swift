import Foundation
import TestSupport
import Testing

/// One fault injected into a fresh faithful copy (nil: the faithful copy itself).
struct Scenario: Sendable, CustomStringConvertible {
  var description: String
  var inject: @Sendable (Corpus) throws -> Void

  static let all: [Scenario] = [
    Scenario(description: "faithful copy") { _ in },
    Scenario(description: "missing message") { corpus in
      let victim = try #require(try corpus.messageFiles(linked: false).first)
      try FileManager.default.removeItem(atPath: corpus.failoverSpool + "/" + victim)
    },
    Scenario(description: "content changed, size and mtime kept") { corpus in
      let victim = try #require(try corpus.messageFiles(linked: false).last)
      try BitRot.flipMiddleByte(of: corpus.failoverSpool + "/" + victim)
    },
    Scenario(description: "extra file and planted symlink") { corpus in
      let mailbox = try #require(try corpus.mailboxDirectories().first)
      try Data("stray".utf8).write(
        to: URL(fileURLWithPath: corpus.failoverSpool + "/" + mailbox + "/999999."))
      try FileManager.default.createSymbolicLink(
        atPath: corpus.failoverSpool + "/" + mailbox + "/1000.", withDestinationPath: "/etc/shadow")
    },
    Scenario(description: "mailbox directory missing") { corpus in
      let mailboxes = try corpus.mailboxDirectories()
      let leaf = try #require(
        mailboxes.last { candidate in !mailboxes.contains { $0.hasPrefix(candidate + "/") } })
      try FileManager.default.removeItem(atPath: corpus.failoverSpool + "/" + leaf)
    },
    Scenario(description: "a flag changed in the failover's cyrus.index") { corpus in
      try corpus.toggleFlaggedInFailoverIndex()
    },
    Scenario(description: "a subscription dropped on the failover") { corpus in
      try corpus.dropFailoverSubscription()
    },
    Scenario(description: "seen records changed by cyr_dbtool on the failover") { corpus in
      let seen = corpus.failover + "/var/lib/cyrus/" + (try corpus.userFile("seen.db", of: "bert"))
      let tool = try CyrDBTool(corpus)
      try tool.run(
        seen, "twoskip", "set", try corpus.uniqueID(of: "user.anna.Projects"), "1 0 2 0 1:2")
      try tool.run(seen, "twoskip", "delete", try corpus.uniqueID(of: "shared.announcements"))
    },
    Scenario(description: "an ACL changed in the failover's mailboxes.db") { corpus in
      try corpus.narrowFailoverACL()
    },
    Scenario(description: "mode changed") { corpus in
      let victim = try #require(try corpus.messageFiles(linked: false).first)
      try FileManager.default.setAttributes(
        [.posixPermissions: 0o644], ofItemAtPath: corpus.failoverSpool + "/" + victim)
    },
    Scenario(description: "hard links broken by plain rsync") { corpus in
      try corpus.copyFailover(keepHardLinks: false)
    },
  ]
}

/// Verify over a real OpenSSH (sshd on loopback, the built binary as the agent) reports exactly
/// what local verify reports; every way the connection can fail ends with exit 2 and a message.
@Suite(.serialized) struct RemoteVerifyTests {
  /// The findings array of a JSON report, re-serialised for exact comparison.
  func findings(_ json: [String: Any]) throws -> String {
    let list = json["findings"] as? [[String: Any]] ?? []
    let sorted = list.map {
      (try? JSONSerialization.data(withJSONObject: $0, options: .sortedKeys)).map {
        String(decoding: $0, as: UTF8.self)
      } ?? ""
    }
    return sorted.sorted().joined(separator: "\n")
  }

  func remote(_ server: SSHServer, _ extra: [String] = []) -> [String] {
    ["--ssh", server.sshOption(), "--remote-command", Tool.executable] + extra
  }

  @Test(arguments: Scenario.all)
  func sameFindingsAsLocalVerify(scenario: Scenario) throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    try scenario.inject(corpus)
    for level in ["full", "guid", "meta"] {
      let local = try Tool.verify([
        "--primary", corpus.primary, "--failover", corpus.failover, "--level", level,
      ])
      let overFailover = try Tool.verify(
        [
          "--primary", corpus.primary, "--failover", "127.0.0.1:" + corpus.failover, "--level",
          level,
        ] + remote(server))
      let overPrimary = try Tool.verify(
        [
          "--primary", "127.0.0.1:" + corpus.primary, "--failover", corpus.failover, "--level",
          level,
        ] + remote(server))
      let overBoth = try Tool.verify(
        [
          "--primary", "127.0.0.1:" + corpus.primary, "--failover", "127.0.0.1:" + corpus.failover,
          "--level", level,
        ] + remote(server))
      #expect(overFailover.status == local.status)
      #expect(overPrimary.status == local.status)
      #expect(overBoth.status == local.status)
      #expect(try findings(overFailover.json) == findings(local.json))
      #expect(try findings(overPrimary.json) == findings(local.json))
      #expect(try findings(overBoth.json) == findings(local.json))
      if scenario.description == "faithful copy" {
        #expect(local.status == 0 && local.findings.isEmpty)
      }
    }
  }

  /// Two local sides at `full` are read together (issue 14): the message whose bytes changed
  /// is the one pair that differed, and its finding still carries both SHA-256 digests, as in
  /// `sameFindingsAsLocalVerify` over SSH, where each side hashes its own.
  @Test func localFullVerifyComparesBytesOnThisHost() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let victim = try #require(try corpus.messageFiles(linked: false).last)
    try BitRot.flipMiddleByte(of: corpus.failoverSpool + "/" + victim)
    let arguments = ["--primary", corpus.primary, "--failover", corpus.failover, "--level", "full"]
    let stats = try Tool.run(
      [Tool.executable, "verify", "--no-progress", "--stats"] + arguments)
    #expect(stats.status == 1)
    #expect(stats.stderr.contains("pairs of files compared byte for byte (1 differed)"))
    let report = try Tool.verify(arguments)
    let mismatches = (report.json["findings"] as? [[String: Any]] ?? []).filter {
      $0["code"] as? String == "file.content-mismatch"
    }
    #expect(mismatches.count == 1)
    let values = mismatches.first.map { [$0["primary"], $0["failover"]] } ?? []
    #expect(values.allSatisfy { ($0 as? String)?.hasPrefix("sha256:") == true })
    let meta = try Tool.run(
      [Tool.executable, "verify", "--no-progress", "--stats", "--level", "meta"]
        + arguments.prefix(4))
    #expect(!meta.stderr.contains("compared byte for byte"))
  }

  @Test func savedManifestGivesTheSameFindings() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    try Scenario.all[1].inject(corpus)
    let saved = corpus.directory + "/primary.cfm"
    try Tool.must([Tool.executable, "manifest", "--instance", corpus.primary, "--output", saved])
    let remoteSaved = corpus.directory + "/failover.cfm"
    try Tool.must(
      [
        Tool.executable, "manifest", "--instance", "127.0.0.1:" + corpus.failover, "--output",
        remoteSaved,
      ] + remote(server))
    let local = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    let fromFile = try Tool.verify(
      ["--primary-manifest", saved, "--failover", "127.0.0.1:" + corpus.failover] + remote(server))
    let bothFiles = try Tool.verify([
      "--primary-manifest", saved, "--failover-manifest", remoteSaved,
    ])
    #expect(local.status == 1)
    #expect(fromFile.status == 1 && bothFiles.status == 1)
    #expect(try findings(fromFile.json) == findings(local.json))
    #expect(try findings(bothFiles.json) == findings(local.json))
    let otherLevel = try Tool.run([
      Tool.executable, "verify", "--primary-manifest", saved, "--failover", corpus.failover,
      "--level", "meta",
    ])
    #expect(otherLevel.status == 2 && otherLevel.stderr.contains("--level full"))
  }

  @Test func statsCountBytesOnStandardError() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    let result = try Tool.run(
      [
        Tool.executable, "verify", "--no-progress", "--stats", "--primary", corpus.primary,
        "--failover", "127.0.0.1:" + corpus.failover,
      ]
        + remote(server))
    #expect(result.status == 0)
    #expect(result.stderr.contains("bytes sent") && result.stderr.contains("0 fetched"))
  }

  /// Protocol 7: a mailboxes.db that is the same on both sides does not cross the wire (the
  /// local side offers its own by digest); one that differs does, whole.
  @Test func aSameMailboxesDBIsNotSentAgain() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    func received() throws -> (status: Int32, bytes: Int) {
      let result = try Tool.run(
        [
          Tool.executable, "verify", "--no-progress", "--stats", "--level", "meta", "--primary",
          corpus.primary, "--failover", "127.0.0.1:" + corpus.failover,
        ] + remote(server))
      let line = try #require(
        result.stderr.split(separator: "\n").first { $0.contains("bytes received") })
      let words = line.split(separator: " ")
      let index = try #require(words.firstIndex(of: "received;"))
      return (result.status, try #require(Int(words[index - 2])))
    }
    let same = try received()
    try corpus.narrowFailoverACL()
    let database = corpus.failover + "/var/lib/cyrus/mailboxes.db"
    let size = try #require(
      try FileManager.default.attributesOfItem(atPath: database)[.size] as? Int)
    let differing = try received()
    #expect(same.status == 0 && differing.status == 1)
    #expect(same.bytes < size, "a consistent pair's whole exchange is smaller than mailboxes.db")
    #expect(differing.bytes - same.bytes >= size, "the changed mailboxes.db crossed whole")
  }

  /// Runs verify against the failover over `ssh` and expects exit 2, no report, and a message.
  func expectFailure(_ arguments: [String], corpus: Corpus, saying words: [String]) throws {
    let result = try Tool.run(
      [
        Tool.executable, "verify", "--no-progress", "--primary", corpus.primary, "--failover",
        "127.0.0.1:" + corpus.failover,
      ] + arguments)
    #expect(result.status == 2)
    #expect(!result.stdout.contains("CONSISTENT"))
    for word in words { #expect(result.stderr.contains(word), "stderr: \(result.stderr)") }
  }

  @Test func unreachablePort() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    let closed = try SSHServer.freePort()
    try expectFailure(
      ["--ssh", server.sshOption(port: closed), "--remote-command", Tool.executable],
      corpus: corpus, saying: ["cannot reach 127.0.0.1"])
  }

  @Test func wrongHostKey() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try expectFailure(
      [
        "--ssh", server.sshOption(knownHosts: try server.wrongKnownHosts()), "--remote-command",
        Tool.executable,
      ], corpus: corpus,
      saying: ["host key of 127.0.0.1", "never turns host key checks off"])
    // An unknown key (empty known_hosts) is refused too: BatchMode never asks.
    let empty = server.directory + "/empty_known_hosts"
    _ = FileManager.default.createFile(atPath: empty, contents: nil)
    try expectFailure(
      ["--ssh", server.sshOption(knownHosts: empty), "--remote-command", Tool.executable],
      corpus: corpus, saying: ["host key"])
  }

  @Test func missingRemoteBinary() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try expectFailure(
      ["--ssh", server.sshOption(), "--remote-command", "/nonexistent/cyrus-failover"],
      corpus: corpus,
      saying: ["no runnable cyrus-failover at '/nonexistent/cyrus-failover'", "--remote-command"])
  }

  @Test func protocolVersionMismatch() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    let wrapper = server.directory + "/old agent"  // a space, to prove the quoting
    try Data("#!/bin/sh\nexec \(Tool.executable) \"$@\" --test-protocol-version 99\n".utf8).write(
      to: URL(fileURLWithPath: wrapper))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
    try expectFailure(
      ["--ssh", server.sshOption(), "--remote-command", wrapper], corpus: corpus,
      saying: ["speaks agent protocol 99", "Install cyrus-failover 0.1.0 on 127.0.0.1"])
  }

  /// A remote command that records the agent's pid in a file and runs the agent so that it
  /// holds its walk after five segments (until killed).
  func pausingAgent(in server: SSHServer) throws -> (wrapper: String, pidFile: String) {
    let pidFile = server.directory + "/agent.pid"
    let wrapper = server.directory + "/pausing-agent"
    try Data(
      "#!/bin/sh\necho $$ > \(pidFile)\nexec \(Tool.executable) \"$@\" --test-pause-after-segments 5\n"
        .utf8
    )
    .write(to: URL(fileURLWithPath: wrapper))
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: wrapper)
    return (wrapper, pidFile)
  }

  /// Calls `action` with the agent's pid on another thread, once the agent written by
  /// ``pausingAgent(in:)`` has started and had time to send its five summaries and stop there.
  static func onceAgentPauses(_ pidFile: String, _ action: @escaping @Sendable (Int32) -> Void) {
    Thread {
      for _ in 0..<200 {
        if let text = try? String(contentsOfFile: pidFile, encoding: .utf8),
          let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
          usleep(300_000)
          action(pid)
          return
        }
        usleep(50_000)
      }
    }.start()
  }

  /// Once the agent pauses, sends `signal` to its per-connection sshd (the agent's nearest
  /// `sshd` ancestor, never the `listener`), and records both pids in `record`.
  static func onceAgentPauses(
    _ pidFile: String, signalItsSession signal: Int32, listener: pid_t, record: KilledProcess
  ) {
    onceAgentPauses(pidFile) { agent in
      var process = Self.parent(of: agent)
      while let current = process, current > 1, current != listener,
        Self.command(of: current)?.hasPrefix("sshd") != true
      {
        process = Self.parent(of: current)
      }
      if let session = process, session > 1, session != listener {
        record.record(session: session, agent: agent)
        kill(session, signal)
      }
    }
  }

  @Test func agentKilledMidWalk() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    let (wrapper, pidFile) = try pausingAgent(in: server)
    Self.onceAgentPauses(pidFile) { agent in kill(agent, SIGKILL) }
    try expectFailure(
      ["--ssh", server.sshOption(), "--remote-command", wrapper], corpus: corpus,
      saying: ["dropped during the walk"])
  }

  /// The per-connection sshd (the agent's nearest sshd ancestor, never the listening one) is
  /// killed while the agent holds its walk after five segments: the connection is gone, the
  /// agent itself still runs. Verify must end with exit 2 and say so, whenever the kill lands.
  @Test func sshdChildKilledMidWalk() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    let (wrapper, pidFile) = try pausingAgent(in: server)
    let listener = server.pid
    let killed = KilledProcess()
    Self.onceAgentPauses(pidFile, signalItsSession: SIGKILL, listener: listener, record: killed)
    try expectFailure(
      ["--ssh", server.sshOption(), "--remote-command", wrapper], corpus: corpus,
      saying: ["dropped during the walk"])
    let (session, agent) = killed.pids
    #expect(session != nil, "no per-connection sshd was found above the agent")
    // The agent outlived its connection (what dropped was sshd's), and the listener still
    // serves; the orphaned agent, still holding its walk, is ended here.
    if let agent {
      #expect(kill(agent, 0) == 0)
      kill(agent, SIGKILL)
    }
    #expect(kill(listener, 0) == 0)
  }

  /// A silent peer: the per-connection sshd is stopped (SIGSTOP), so the TCP connection stays
  /// open and nothing more arrives — the case a keepalive is for. With the keepalive shortened
  /// through the user's own ssh options (which come before the tool's 15 s × 4), verify must end
  /// with exit 2 within seconds, not wait forever.
  @Test func sshdChildSilencedMidWalkEndsByKeepalive() throws {
    let server = try SSHServer()
    let corpus = try Corpus()
    try corpus.copyFailover()
    let (wrapper, pidFile) = try pausingAgent(in: server)
    let stopped = KilledProcess()
    Self.onceAgentPauses(pidFile, signalItsSession: SIGSTOP, listener: server.pid, record: stopped)
    let started = Date()
    let result = try TestPrograms.run(
      [
        Tool.executable, "verify", "--no-progress", "--primary", corpus.primary, "--failover",
        "127.0.0.1:" + corpus.failover, "--ssh",
        server.sshOption() + " -o ServerAliveInterval=1 -o ServerAliveCountMax=2",
        "--remote-command", wrapper,
      ], timeLimit: .seconds(120))
    let (session, agent) = stopped.pids
    if let session { kill(session, SIGKILL) }
    if let agent { kill(agent, SIGKILL) }
    #expect(session != nil, "no per-connection sshd was found above the agent")
    #expect(result.status == 2, "stderr: \(result.stderr)")
    #expect(!result.stdout.contains("CONSISTENT"))
    #expect(result.stderr.contains("dropped during the walk"), "stderr: \(result.stderr)")
    #expect(Date().timeIntervalSince(started) < 60, "the silent peer was not noticed in time")
  }

  /// The parent process id of `pid`, from /proc.
  static func parent(of pid: pid_t) -> pid_t? {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
      let close = text.lastIndex(of: ")")
    else { return nil }
    // After "pid (comm) ": state, then the parent's pid.
    let fields = text[text.index(after: close)...].split(separator: " ")
    return fields.count > 1 ? pid_t(fields[1]) : nil
  }

  /// The command name of `pid` (`sshd`, or `sshd-session` from OpenSSH 9.8 on).
  static func command(of pid: pid_t) -> String? {
    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }
}

/// The processes the killer thread of a test found, read after it is done.
final class KilledProcess: @unchecked Sendable {
  private let lock = NSLock()
  private var session: pid_t?
  private var agent: pid_t?

  func record(session: pid_t, agent: pid_t) {
    lock.lock()
    defer { lock.unlock() }
    self.session = session
    self.agent = agent
  }

  var pids: (session: pid_t?, agent: pid_t?) {
    lock.lock()
    defer { lock.unlock() }
    return (session, agent)
  }
}
