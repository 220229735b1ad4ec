import Foundation
import Processes
import Remote

extension HostProbe {
  /// Probes another host for one instance: `cyrus-failover probe --instance PATH` there over
  /// `host` (ssh), its JSON read back. Reads only.
  /// - Parameters:
  ///   - remoteCommand: cyrus-failover on that host.
  ///   - toolVersion: this tool's version; the probe must have been made by the same one.
  /// - Throws: ``ProcedureError`` (`.probe`) when the host cannot be asked, the probe fails,
  ///   its answer does not read, or it comes from another version.
  public static func remote(
    _ target: RemoteTarget, root: String?, host: CommandHost, remoteCommand: String,
    toolVersion: String, usage: Bool = false, runner: ProcessRunner
  ) throws -> HostProbe {
    var words = [remoteCommand, "probe", "--instance", target.path]
    if usage { words.append("--usage") }
    if let root { words += ["--root", root] }
    let outcome = try runner.run(
      try host.invocation(words, standardOutput: .capture(limit: 16 << 20)),
      timeLimit: .seconds(3600))
    guard outcome.succeeded else {
      throw ProcedureError(
        .probe,
        "could not probe \(target): `\(words.joined(separator: " "))` ended with "
          + "\(outcome.summary): \(outcome.shownError())")
    }
    let probe: HostProbe
    do {
      probe = try JSONDecoder().decode(HostProbe.self, from: Data(outcome.standardOutput))
    } catch {
      throw ProcedureError(
        .probe, "\(target.destination): the probe's answer does not read: \(error)")
    }
    guard probe.toolVersion == toolVersion else {
      throw ProcedureError(
        .probe,
        "\(target.destination) runs cyrus-failover \(probe.toolVersion), this one is "
          + "\(toolVersion): install the same version there")
    }
    return probe
  }

  /// The version of the Cyrus package installed, the newest package first (`cyrus-common`,
  /// then the 2.x names); nil when none is.
  public var cyrusVersion: String? {
    Self.cyrusPackages.lazy.compactMap { self.cyrus.packages[$0] }.first
  }
}
