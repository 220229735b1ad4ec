import Foundation
import TestSupport
import Testing

/// An agent pinned by a forced command in authorized_keys (`agent --instance X`) serves that
/// instance as configured and nothing else: no other instance, and no root of the client's
/// choosing, which would re-root the pinned instance's paths into a tree the client controls
/// (issue 13; docs/remote.md: the key "can read nothing else").
@Suite struct PinnedAgentTests {
  /// A server whose key runs only the agent pinned to a small instance, and that instance.
  static func pinned() throws -> (SSHServer, HostilePeer) {
    let server = try SSHServer()
    let local = try HostilePeer()
    try server.force("\(Tool.executable) agent --instance \(local.primary)")
    return (server, local)
  }

  static func verify(_ server: SSHServer, _ failover: String, _ extra: [String] = []) throws
    -> Tool.Result
  {
    let local = try HostilePeer()
    return try Tool.run(
      [
        Tool.executable, "verify", "--no-progress", "--primary", local.primary, "--failover",
        "127.0.0.1:" + failover, "--ssh", server.sshOption(), "--remote-command", Tool.executable,
      ] + extra)
  }

  @Test func thePinnedInstanceIsServed() throws {
    let (server, instance) = try Self.pinned()
    let result = try Self.verify(server, instance.primary)
    #expect(result.status != 2, "stderr: \(result.stderr)")
    #expect(result.stdout.contains("failover: 127.0.0.1:\(instance.primary)"))
  }

  @Test func aRootOfTheClientsChoosingIsRefused() throws {
    let (server, instance) = try Self.pinned()
    let elsewhere = try TemporaryDirectory(prefix: "pinned-root")
    try elsewhere.symlink("etc", to: "/etc")
    let result = try Self.verify(server, instance.primary, ["--failover-root", elsewhere.path])
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "this agent serves only the instance \(instance.primary) as configured, not under "
          + elsewhere.path), "stderr: \(result.stderr)")
  }

  @Test func anotherInstanceIsRefused() throws {
    let (server, instance) = try Self.pinned()
    let other = try HostilePeer()
    let result = try Self.verify(server, other.primary)
    #expect(result.status == 2)
    #expect(
      result.stderr.contains(
        "this agent serves only the instance \(instance.primary), not \(other.primary)"),
      "stderr: \(result.stderr)")
  }
}
