import Foundation
import Processes
import TestSupport

/// A throwaway OpenSSH server for one test: `sshd -D -e` on 127.0.0.1 on a free high port, with
/// freshly generated host and user keys, its own authorized_keys and config (keys only, no
/// passwords), and a known_hosts file for the client. Stopped and removed on deinit.
final class SSHServer {
  let directory: String
  let port: Int
  /// sshd, run by the tool's own process runner; ended (its process group too) on deinit.
  private var daemon: ChildProcess?
  /// sshd's process id.
  var pid: pid_t { daemon?.pid ?? 0 }

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
    daemon = try TestPrograms.runner.start(
      Invocation(
        "/usr/sbin/sshd", ["-D", "-e", "-f", directory + "/sshd_config"],
        environment: Invocation.minimalEnvironment,
        standardOutput: .discard, standardError: .file(directory + "/sshd.log", append: false)))
    try waitUntilListening()
  }

  deinit {
    daemon?.terminate(grace: .seconds(5))
    try? FileManager.default.removeItem(atPath: directory)
  }

  /// Makes the user key run only `command`, whatever the client asks (a forced command in
  /// authorized_keys, as a pinned agent is installed).
  func force(_ command: String) throws {
    let key = try String(contentsOfFile: userKey + ".pub", encoding: .utf8)
    try Data("command=\"\(command)\",no-pty \(key)".utf8).write(
      to: URL(fileURLWithPath: directory + "/authorized_keys"))
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
