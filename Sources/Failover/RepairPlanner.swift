import CyrusStore
import Remote

/// Makes the plan of one repair round from a ``RepairSet``: deletions on the failover, the
/// live copy of message files and missing directories, and — only when something Cyrus
/// rewrites in place must move — a short stop of the primary for those files, then a full
/// verification.
public enum RepairPlanner {
  /// The list file of one copy (NUL-separated paths for `rsync --from0 --files-from`).
  public static func listPath(_ settings: PlanSettings, _ kind: String, _ area: String) -> String {
    settings.stateDirectory + "/repair-\(settings.stamp)-\(kind)-\(area).list"
  }

  /// The plan for `set`, `source` (the primary) → `destination` (the failover).
  public static func plan(
    _ set: RepairSet, source: ProcedureSide, destination: ProcedureSide, settings: PlanSettings
  ) -> Plan {
    var checks = SyncPlanner.checks(source, destination, .sync).filter {
      ["failover-not-running", "primary-service", "direction", "rsync"].contains($0.name)
    }
    if set.mailboxList, source.probe.data.family != destination.probe.cyrus.family,
      let data = source.probe.data.family, let reader = destination.probe.cyrus.family,
      !data.isReadable(by: reader)
    {
      checks.append(
        .init(
          "mailbox-list", passed: false,
          "the mailbox lists differ and the failover's Cyrus reads another version: run sync, "
            + "which imports the list"))
    }
    let to = destination.role
    let remote: String? = if case .remote(let host) = destination.place { host } else { nil }
    var steps = [
      Step(
        "repair.lists", phase: .prepare,
        title:
          "write the lists of paths to copy (\(set.count) in all) to \(settings.stateDirectory)",
        host: source.role, place: .local, action: .writeLists, changes: false,
        onFailure: "stop; nothing was changed")
    ]
    func path(_ area: String, _ side: ProcedureSide) -> String? {
      side.probe.instance.areas.first { $0.name == area }?.path
    }
    for (area, paths) in set.deletions.sorted(by: { $0.key < $1.key }) {
      guard let root = path(area, destination) else { continue }
      let absolute = paths.compactMap { relative -> String? in
        // A name that is not UTF-8 cannot be an argument; it is left (and verify says so).
        guard let text = String(validating: relative.bytes, as: UTF8.self) else { return nil }
        return root + "/" + text
      }
      guard !absolute.isEmpty else { continue }
      steps.append(
        Step(
          "repair.delete.\(area)", phase: .pass1,
          title: "delete on the \(to) what the primary does not have (\(absolute.count) paths)",
          host: to, place: destination.place, argv: ["rm", "-rf", "--"] + absolute, changes: true,
          onFailure: "stop; the primary was never stopped"))
    }
    func copy(
      _ id: String, _ area: String, _ kind: String, recursive: Bool, phase: Step.Phase,
      onFailure: String
    ) -> Step? {
      guard let from = path(area, source), let into = path(area, destination) else { return nil }
      // -I: a listed file is copied even when size and mtime agree (bit rot keeps both).
      var argv = [
        "rsync", "-aH", "-I", "-s", "--from0", "--files-from=" + listPath(settings, kind, area),
      ]
      if recursive { argv.append("-r") }
      argv += ["--stats", "--itemize-changes"]
      if remote != nil, let ssh = settings.ssh { argv += ["-e", ssh.rsyncShell] }
      argv += [Rsync.slash(from), remote.map { "\($0):\(Rsync.slash(into))" } ?? Rsync.slash(into)]
      return Step(
        id, phase: phase, title: "copy the listed \(kind) paths of \(area) to the \(to)",
        host: source.role, place: .local, argv: argv, changes: true, onFailure: onFailure,
        area: area)
    }
    for (area, _) in set.liveFiles.sorted(by: { $0.key < $1.key }) {
      if let step = copy(
        "repair.live.\(area)", area, "live", recursive: false, phase: .pass1,
        onFailure: "stop; the primary was never stopped")
      {
        steps.append(step)
      }
    }
    for (area, _) in set.liveDirectories.sorted(by: { $0.key < $1.key }) {
      if let step = copy(
        "repair.live-directories.\(area)", area, "directories", recursive: true, phase: .pass1,
        onFailure: "stop; the primary was never stopped")
      {
        steps.append(step)
      }
    }
    var windowStart: String?
    var windowEnd: String?
    let window = !set.windowFiles.isEmpty && source.running
    if window, let service = source.service {
      let files = set.windowFiles.values.reduce(0) { $0 + $1.count }
      windowStart = "window.stop"
      windowEnd = "window.start"
      steps.append(
        Step(
          "window.stop", phase: .window,
          title: "stop the primary's Cyrus for \(files) files it rewrites in place (expected: "
            + "the stop, a copy of those files and the start, seconds)",
          host: source.role, place: .local, argv: service.stop, timeLimit: settings.stopTimeout,
          changes: true, onFailure: "start the primary's Cyrus again"))
      steps.append(
        Step(
          "window.wait-stopped", phase: .window, title: "wait until the primary's Cyrus stopped",
          host: source.role, place: .local, action: .waitStopped, timeLimit: settings.stopTimeout,
          changes: false, onFailure: "start the primary's Cyrus again"))
    }
    for (area, _) in set.windowFiles.sorted(by: { $0.key < $1.key }) {
      if let step = copy(
        "repair.window.\(area)", area, "window", recursive: true,
        phase: window ? .window : .pass1,
        onFailure: window ? "start the primary's Cyrus again, then stop" : "stop")
      {
        steps.append(step)
      }
    }
    if window, let service = source.service {
      steps.append(
        Step(
          "window.start", phase: .window, title: "start the primary's Cyrus", host: source.role,
          place: .local, argv: service.start, timeLimit: settings.startTimeout, changes: true,
          onFailure: "try again; if it will not start, stop loudly with the command to run"))
      steps.append(
        Step(
          "window.wait-running", phase: .window, title: "wait until the primary's Cyrus runs",
          host: source.role, place: .local, action: .waitRunning,
          timeLimit: settings.startTimeout, changes: false, onFailure: "try the start again"))
    }
    steps.append(
      Step(
        "verify", phase: .verify, title: "verify the \(to) against the primary again (full)",
        host: to, place: destination.place, action: .verify, changes: false,
        onFailure: "report what still differs"))
    return Plan(
      procedure: "repair", source: source.planSide, destination: destination.planSide,
      versionMismatch: false, checks: checks, steps: steps, windowStart: windowStart,
      windowEnd: windowEnd)
  }
}
