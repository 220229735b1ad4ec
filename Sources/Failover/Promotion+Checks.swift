import CyrusStore
import Remote
import Verification

extension Promotion {
  /// The sign-off names this failover: the same host (machine-id, or the host name where one
  /// side has none), the same imapd.conf and the same areas.
  func sameFailoverCheck(_ signOff: SignOff?) -> Plan.Check {
    guard let signed = signOff?.failover else {
      return .init("same-failover", passed: false, "not checked: the sign-off does not read")
    }
    let place = if case .remote = host.place { "remote" } else { "local" }
    let here = SignOff.Side(
      role: "failover", given: request.failover.description, place: place, probe: probe)
    var differences: [String] = []
    if let signedID = signed.machineID, let id = here.machineID {
      if signedID != id {
        differences.append(
          "host \(signed.host ?? "?") (machine-id \(signedID)), not \(here.host ?? "?") "
            + "(machine-id \(id))")
      }
    } else if signed.host != here.host {
      differences.append("host \(signed.host ?? "?"), not \(here.host ?? "?")")
    }
    if signed.configFile != here.configFile {
      differences.append("imapd.conf \(signed.configFile), not \(here.configFile)")
    }
    if signed.areas != here.areas {
      let names = Set(signed.areas.keys).union(here.areas.keys).sorted()
        .filter { signed.areas[$0] != here.areas[$0] }
      differences.append(
        "areas "
          + names.map { "\($0) \(signed.areas[$0] ?? "none"), not \(here.areas[$0] ?? "none")" }
          .joined(separator: ", "))
    }
    guard differences.isEmpty else {
      return .init(
        "same-failover", passed: false,
        "the sign-off is for another failover: " + differences.joined(separator: "; "))
    }
    return .init(
      "same-failover", passed: true,
      "\(here.configFile) on \(here.host ?? "?"), as signed off")
  }

  /// The failover's Cyrus does not run: a running one may have changed it since the check,
  /// and there would be nothing to start.
  func stoppedCheck() -> Plan.Check {
    var evidence: [String] = []
    if let service {
      let starter = SourceStarter(
        start: service.start, status: service.status, host: host, timeout: 30, attempts: 1,
        runner: request.runner)
      if starter.isRunning() {
        evidence.append("`\(service.status.joined(separator: " "))` says it runs")
      }
    }
    if let pid = probe.service.masterPID { evidence.append("master runs as pid \(pid)") }
    if !probe.service.busy.isEmpty {
      let some = probe.service.busy.sorted { $0.key < $1.key }.prefix(5)
        .map { "\($0.value) [\($0.key)]" }
      evidence.append("processes hold its files open: \(some.joined(separator: ", "))")
    }
    return evidence.isEmpty
      ? .init("failover-stopped", passed: true, "no Cyrus runs on the failover's data")
      : .init(
        "failover-stopped", passed: false,
        "the failover's Cyrus runs already (\(evidence.joined(separator: "; "))): it may have "
          + "changed the copy since the sign-off, and there is nothing to start")
  }

  /// The failover still matches the manifest the sign-off saved: a walk of the failover at the
  /// manifest's level (`meta`: no message file is read) compared with it through
  /// ``VerifySession``. Any difference, at any severity, is a change; a condition found on
  /// both (the same orphan, the same stale subscription, as when it was signed off) is not.
  func unchangedCheck(_ signOff: SignOff?, sameFailover: Bool) -> Plan.Check {
    let name = "unchanged"
    guard let signOff,
      inspection.checks.first(where: { $0.name == "manifest.failover" })?.passed == true
    else {
      return .init(name, passed: false, "not checked: the sign-off's failover manifest is unusable")
    }
    guard sameFailover else {
      return .init(name, passed: false, "not checked: the sign-off is for another failover")
    }
    let manifest = signOff.manifests.failover
    guard let level = VerifyLevel(rawValue: manifest.level) else {
      return .init(name, passed: false, "the manifest's level \(manifest.level) is unknown")
    }
    let path = inspection.directory + "/" + manifest.file
    let collector = ChangeCollector(limit: Self.changeLimit)
    do {
      let session = try VerifySession(
        primary: .manifest(path: path), failover: request.failover,
        settings: VerifySettings(
          walk: WalkOptions(
            level: level, includeRuntime: manifest.includeRuntime,
            berkeleyReader: request.berkeleyReader),
          ssh: request.ssh, toolVersion: request.toolVersion, runner: request.runner,
          detailLimit: 1))
      let result = try session.run(sink: collector)
      changeCount = collector.count
      changes = collector.kept
      guard collector.count == 0 else {
        return .init(
          name, passed: false,
          "the failover changed since the sign-off: \(collector.count) difference"
            + "\(collector.count == 1 ? "" : "s") from its manifest \(path): "
            + collector.kept.prefix(5).map(Self.brief).joined(separator: "; ")
            + (collector.count > 5 ? "; …" : ""))
      }
      return .init(
        name, passed: true,
        "\(result.context.failoverEntries) entries walked (\(level.rawValue)), all as in \(path)")
    } catch {
      return .init(name, passed: false, "could not compare the failover with \(path): \(error)")
    }
  }

  /// `code area:path (mailbox)`.
  static func brief(_ finding: Finding) -> String {
    finding.code.rawValue + (finding.location.map { " \($0)" } ?? "")
      + (finding.mailbox.map { " (\($0))" } ?? "")
  }

  func serviceCheck() -> Plan.Check {
    guard let service else {
      return .init(
        "service", passed: false,
        "no Cyrus service found on \(host.place) (no systemd unit cyrus-imapd, no init script "
          + "cyrus-imapd, cyrus2.2, cyrus22 or cyrus21): give --failover-start and "
          + "--failover-status")
    }
    return .init(
      "service", passed: true,
      "started with `\(service.start.joined(separator: " "))`, confirmed with "
        + "`\(service.status.joined(separator: " "))`")
  }
}

/// Counts the findings that mean a change, keeping the first few: everything but a condition
/// found on each side alike.
final class ChangeCollector: FindingSink {
  let limit: Int
  private(set) var count = 0
  private(set) var kept: [Finding] = []

  init(limit: Int) { self.limit = limit }

  func emit(_ finding: Finding) {
    guard !finding.isSharedCondition else { return }
    count += 1
    if kept.count < limit { kept.append(finding) }
  }
}
