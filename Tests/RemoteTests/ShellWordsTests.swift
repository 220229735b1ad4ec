import Testing

@testable import Remote

@Suite struct ShellWordsTests {
  @Test(arguments: [
    ("ssh", ["ssh"]),
    ("ssh -p 2222 -i KEY", ["ssh", "-p", "2222", "-i", "KEY"]),
    (
      "ssh -i 'my key' -o \"UserKnownHostsFile=/a b\"",
      ["ssh", "-i", "my key", "-o", "UserKnownHostsFile=/a b"]
    ),
    ("ssh -o ProxyCommand=a\\ b", ["ssh", "-o", "ProxyCommand=a b"]),
    ("  ssh   $HOME;rm  ", ["ssh", "$HOME;rm"]),
  ])
  func splitsLikeRsync(line: String, words: [String]) throws {
    #expect(try ShellWords.split(line) == words)
  }

  @Test func unterminatedQuoteIsRefused() {
    #expect(throws: RemoteError.self) { try ShellWords.split("ssh -i 'key") }
  }

  @Test func quotingSurvivesTheRemoteShell() throws {
    #expect(ShellWords.quote("/opt/cyrus failover/bin") == "'/opt/cyrus failover/bin'")
    #expect(ShellWords.quote("it's; rm -rf /") == "'it'\\''s; rm -rf /'")
    // What sh makes of it: exactly the one word.
    let result = try #require(try? runShell("printf '%s|' " + ShellWords.quote("a'b $(x) \"c\"")))
    #expect(result == "a'b $(x) \"c\"|")
  }

  @Test(arguments: [
    ("host:/etc/imapd.conf", RemoteTarget(destination: "host", path: "/etc/imapd.conf")),
    ("root@fo.example:/", RemoteTarget(destination: "root@fo.example", path: "/")),
    ("[::1]:/etc/imapd.conf", RemoteTarget(destination: "[::1]", path: "/etc/imapd.conf")),
    ("user@[fe80::1]:rel/dir", RemoteTarget(destination: "user@[fe80::1]", path: "rel/dir")),
  ])
  func remoteTargets(argument: String, target: RemoteTarget) throws {
    #expect(try RemoteTarget.parse(argument) == target)
  }

  @Test(arguments: ["/etc/imapd.conf", "./odd:name", "/mnt/a:b", "relative/dir", ":x"])
  func localPaths(argument: String) throws {
    #expect(try RemoteTarget.parse(argument) == nil)
  }

  @Test(arguments: ["-oProxyCommand=x:/etc", "host:", "a b:/x"])
  func unsafeOrEmptyTargetsAreRefused(argument: String) {
    #expect(throws: RemoteError.self) { try RemoteTarget.parse(argument) }
  }

  @Test func commandLineKeepsTheUsersOptionsFirstAndQuotesTheCommand() {
    let argv = SSHTransport.commandLine(
      sshWords: ["ssh", "-p", "2222"],
      target: RemoteTarget(destination: "u@h", path: "/etc/imapd.conf"),
      remoteCommand: "/opt/my tools/cyrus-failover")
    #expect(
      argv == [
        "ssh", "-p", "2222", "-o", "BatchMode=yes", "-o", "ServerAliveInterval=15", "-o",
        "ServerAliveCountMax=4", "-T", "-x", "--", "u@h", "'/opt/my tools/cyrus-failover' agent",
      ])
    #expect(
      !argv.contains { $0.contains("imapd.conf") }, "the instance path goes over the protocol")
  }
}
