import Foundation

/// A throwaway OpenSSH server for one test: `sshd -D -e` on 127.0.0.1 on a free high port, with
/// freshly generated host and user keys, its own authorized_keys and config (keys only, no
/// passwords), and a known_hosts file for the client. Stopped and removed on deinit.
final class SSHServer {
  let directory: String
  let port: Int
  /// sshd's process id. Started with posix_spawn, not Foundation's Process: a long-running
  /// Process child keeps Foundation from reaping the tests' other children meanwhile.
  private(set) var pid: pid_t = 0

  var userKey: String { directory + "/user_key" }
  var knownHosts: String { directory + "/known_hosts" }

  /// The `--ssh` value that reaches this server (no ~/.ssh/config: the test must not depend on
  /// the account it runs as).
  func sshOption(knownHosts: String? = nil, port: Int? = nil) -> String {
    "ssh -F /dev/null -p \(port ?? self.port) -i \(userKey) -o IdentitiesOnly=yes"
      + " -o UserKnownHostsFile=\(knownHosts ?? self.knownHosts) -o ConnectTimeout=10"
  }

  init() throws {
    directory = NSTemporaryDirectory() + "cyrus-failover-sshd-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    // Privilege separation directory that sshd insists on.
    try FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
    try Tool.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/host_key"])
    try Tool.must(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", directory + "/user_key"])
    try FileManager.default.copyItem(
      atPath: directory + "/user_key.pub", toPath: directory + "/authorized_keys")
    port = try Self.freePort()
    let config = """
      Port \(port)
      ListenAddress 127.0.0.1
      HostKey \(directory)/host_key
      AuthorizedKeysFile \(directory)/authorized_keys
      PasswordAuthentication no
      KbdInteractiveAuthentication no
      PubkeyAuthentication yes
      PermitRootLogin prohibit-password
      StrictModes no
      UsePAM no
      PidFile \(directory)/sshd.pid

      """
    try Data(config.utf8).write(to: URL(fileURLWithPath: directory + "/sshd_config"))
    let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8).split(
      separator: " "
    ).prefix(2)
      .joined(separator: " ")
    try Data("[127.0.0.1]:\(port) \(hostKey)\n".utf8).write(to: URL(fileURLWithPath: knownHosts))
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(
      &actions, 2, directory + "/sshd.log", O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    let words: [String] = ["/usr/sbin/sshd", "-D", "-e", "-f", directory + "/sshd_config"]
    var argv: [UnsafeMutablePointer<CChar>?] = words.map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    let status = posix_spawn(&pid, "/usr/sbin/sshd", &actions, nil, argv, environ)
    guard status == 0 else {
      throw ToolError(message: "cannot start sshd: \(String(cString: strerror(status)))")
    }
    try waitUntilListening()
  }

  deinit {
    if pid > 0 {
      kill(pid, SIGTERM)
      var status: Int32 = 0
      waitpid(pid, &status, 0)
    }
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// A known_hosts file holding another key for this server's address.
  func wrongKnownHosts() throws -> String {
    let path = directory + "/wrong_known_hosts"
    let other = try String(contentsOfFile: userKey + ".pub", encoding: .utf8).split(separator: " ")
      .prefix(2).joined(separator: " ")
    try Data("[127.0.0.1]:\(port) \(other)\n".utf8).write(to: URL(fileURLWithPath: path))
    return path
  }

  private func waitUntilListening() throws {
    for _ in 0..<100 {
      let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
      var address = Self.loopback(port)
      let status = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
          connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
        }
      }
      close(fd)
      if status == 0 { return }
      usleep(50_000)
    }
    throw ToolError(
      message:
        "sshd did not start: \((try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? "")"
    )
  }

  static func loopback(_ port: Int) -> sockaddr_in {
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return address
  }

  /// A port nothing listens on right now (bound to 0, read back, closed).
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = loopback(0)
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
      }
    }
    guard bound else { throw ToolError(message: "no free port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
