import CyrusStore
import Foundation
import Processes
import Verification

extension ManifestWriter {
  /// Saves the manifest of an instance on another host to `path` on this one, as `cyrus-failover
  /// manifest --instance host:PATH` does: the agent there walks it and sends every segment's
  /// entries (nothing is compared), and they are written here as they arrive, atomically like
  /// ``save(_:options:to:toolVersion:)``.
  /// - Parameters:
  ///   - root: re-roots the instance's paths on that host.
  ///   - remoteHashJobs: hashing threads asked of the agent (0: its own default).
  /// - Returns: the entries and bytes written.
  /// - Throws: ``RemoteError`` when the host cannot be reached or the connection drops; the
  ///   session is abandoned and no file is left under `path`'s name.
  public static func save(
    remote target: RemoteTarget, root: String?, ssh: SSHSettings, options: WalkOptions,
    remoteHashJobs: Int = 0, to path: String, toolVersion: String, runner: ProcessRunner
  ) throws -> (entries: Int, bytes: Int) {
    let request = OpenRequest(
      instance: target.path, root: root, level: options.level,
      includeRuntime: options.includeRuntime, everything: true, hashJobs: remoteHashJobs)
    let session = try ssh.connect(
      target, request: request, toolVersion: toolVersion, runner: runner)
    let connection = session.connection
    do {
      let written = try atomically(path) { fd in
        let header = ManifestFile.Header(
          toolVersion: toolVersion, level: options.level, includeRuntime: options.includeRuntime,
          created: Int64(Date().timeIntervalSince1970),
          origin: "\(target.destination):\(connection.instance.configFile)",
          instance: connection.instance)
        let writer = try ManifestWriter(
          fd: fd, header: header, mailboxFiles: connection.mailboxFiles)
        while try connection.nextSummary() != nil {
          for entry in try connection.take(wanted: true) ?? [] { try writer.append(entry) }
        }
        try writer.finish()
        return writer
      }
      session.finish()
      return written
    } catch {
      session.abandon("the local side stopped: \(error)")
      throw error
    }
  }
}
