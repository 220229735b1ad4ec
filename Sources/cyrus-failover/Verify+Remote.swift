import ArgumentParser
import CyrusStore
import Remote
import Verification

extension CyrusFailover.Verify {
  /// `verify` where a side is `[user@]host:PATH` or a saved manifest.
  func runWithRemoteOrSaved(_ options: WalkOptions) throws {
    var sessions: [(role: String, session: RemoteSession)] = []
    func side(_ live: String?, _ saved: String?, root: String?, role: String) throws -> VerifySide {
      if let saved { return .manifest(try ManifestReader(path: saved)) }
      guard let live else { preconditionFailure("validate() requires a side or a manifest") }
      if let target = try RemoteTarget.parse(live) {
        let session = try ssh.connect(
          target, root: root, level: options.level, includeRuntime: options.includeRuntime,
          hashJobs: jobs.remote)
        sessions.append((role, session))
        for diagnostic in session.connection.instance.diagnostics {
          Console.err("cyrus-failover: warning: \(target.destination): \(diagnostic)\n")
        }
        return .remote(session.connection, label: target.description)
      }
      let instance = try CyrusInstance.locate(live, root: root)
      for diagnostic in instance.conf.diagnostics {
        Console.err("cyrus-failover: warning: \(diagnostic)\n")
      }
      return .local(instance)
    }
    let status: Int32
    do {
      let primarySide = try side(primary, primaryManifest, root: primaryRoot, role: "primary")
      let failoverSide = try side(failover, failoverManifest, root: failoverRoot, role: "failover")
      status = try report.run(
        verifier: try SideVerifier(primary: primarySide, failover: failoverSide, options: options),
        monitor: monitor)
    } catch {
      for (_, session) in sessions {
        session.connection.abandon("the local side stopped: \(error)")
        session.transport.terminate()
      }
      throw error
    }
    for (role, session) in sessions {
      session.finish()
      if ssh.stats { session.printStats(role) }
    }
    throw ExitCode(status)
  }
}
