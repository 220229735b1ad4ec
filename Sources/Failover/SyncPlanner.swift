import CyrusStore
import Remote

/// Makes the plan of a procedure from its two inspected sides: the seed's two rsync passes
/// around the source's stopped window, the dump made in the window, the import on a version
/// mismatch, and the verification. A pure function of what the inspection found, so a plan
/// can be shown, tested and carried out alike.
public enum SyncPlanner {
  /// The plan for `source` → `destination`.
  public static func plan(
    source: ProcedureSide, destination: ProcedureSide, settings: PlanSettings
  ) -> Plan {
    let kind = settings.kind
    let checks = checks(source, destination, kind, startDestination: settings.startDestination)
    let mismatch: Bool = {
      guard kind != .backup, let data = source.probe.data.family,
        let reader = destination.probe.cyrus.family ?? destination.probe.data.family
      else { return false }
      return !data.isReadable(by: reader)
    }()
    var steps: [Step] = []
    let to = destination.role
    let from = source.role
    let areas = copiedAreas(source)
    let window = kind != .restore && source.running && source.service != nil

    steps.append(
      Step(
        "prepare.directories", phase: .prepare,
        title: "make the \(to)'s area directories (if missing)", host: to,
        place: destination.place,
        argv: ["mkdir", "-p", "--"] + areas.compactMap { destinationPath($0.name, destination) },
        changes: true, onFailure: "stop; nothing was copied"))
    if window {
      for area in areas {
        steps.append(pass(1, area, source, destination, settings, live: true))
      }
    }
    var windowStart: String?
    var windowEnd: String?
    if window, let service = source.service {
      windowStart = "window.stop"
      steps.append(
        Step(
          "window.stop", phase: .window, title: "stop the \(from)'s Cyrus", host: from,
          place: .local, argv: service.stop, timeLimit: settings.stopTimeout, changes: true,
          after: ["master and every Cyrus process have exited"],
          onFailure: "start the \(from)'s Cyrus again"))
      steps.append(
        Step(
          "window.wait-stopped", phase: .window,
          title: "wait until `\(service.status.joined(separator: " "))` says stopped and no "
            + "process holds a file of the \(from)'s areas open",
          host: from, place: .local, action: .waitStopped, timeLimit: settings.stopTimeout,
          changes: false, onFailure: "start the \(from)'s Cyrus again"))
    }
    if kind != .restore {
      steps.append(
        Step(
          "\(window ? "window" : "copy").dump", phase: window ? .window : .pass1,
          title: "write \(source.probe.instance.configDirectory)/mailboxlist.txt from "
            + "mailboxes.db (the seed's ctl_mboxlist -d, made while Cyrus is stopped), atomically",
          host: from, place: .local, action: .dumpMailboxList, changes: true,
          after: ["the dump matches mailboxes.db entry by entry"],
          onFailure: window ? "start the \(from)'s Cyrus again" : "stop"))
      steps.append(
        Step(
          "\(window ? "window" : "copy").manifest", phase: window ? .window : .pass1,
          title: "save the \(from)'s manifest (metadata) to \(settings.manifestPath), alongside "
            + "the last pass, while nothing changes it",
          host: from, place: .local, action: .saveManifest, changes: false,
          onFailure: window ? "start the \(from)'s Cyrus again" : "stop"))
    }
    for area in areas {
      steps.append(pass(2, area, source, destination, settings, live: false, window: window))
    }
    if window, let service = source.service {
      windowEnd = "window.start"
      steps.append(
        Step(
          "window.start", phase: .window, title: "start the \(from)'s Cyrus", host: from,
          place: .local, argv: service.start, timeLimit: settings.startTimeout, changes: true,
          after: ["the status command says it runs"],
          onFailure: "try again; if it will not start, stop loudly with the command to run"))
      steps.append(
        Step(
          "window.wait-running", phase: .window,
          title: "wait until `\(service.status.joined(separator: " "))` says the \(from) runs",
          host: from, place: .local, action: .waitRunning, timeLimit: settings.startTimeout,
          changes: false, onFailure: "try the start command again"))
    }
    if mismatch {
      steps += importSteps(source, destination, settings)
    }
    steps.append(
      Step(
        "verify", phase: .verify,
        title: kind == .restore
          ? "verify the \(to) against the \(from) (full: every file's SHA-256)"
          : "verify the \(to) against the manifest saved in the window",
        host: to, place: destination.place, action: .verify, changes: false,
        onFailure: "report what differs; nothing is changed"))
    if kind == .restore, settings.startDestination, let service = destination.service {
      steps.append(
        Step(
          "finish.start", phase: .finish, title: "start the \(to)'s Cyrus (--start)", host: to,
          place: destination.place, argv: service.start, timeLimit: settings.startTimeout,
          changes: true, onFailure: "report; the copy is in place"))
      steps.append(
        Step(
          "finish.wait-running", phase: .finish, title: "wait until the \(to)'s Cyrus runs",
          host: to, place: destination.place, action: .waitRunning,
          timeLimit: settings.startTimeout, changes: false, onFailure: "report"))
    }
    return Plan(
      procedure: kind.rawValue, source: source.planSide, destination: destination.planSide,
      versionMismatch: mismatch, checks: checks, steps: steps, windowStart: windowStart,
      windowEnd: windowEnd)
  }

  /// The destination path of an area, on the destination's host.
  static func destinationPath(_ name: String, _ destination: ProcedureSide) -> String? {
    destination.probe.instance.areas.first { $0.name == name }?.path
  }

  /// One rsync pass of one area.
  static func pass(
    _ number: Int, _ area: HostProbe.ProbedArea, _ source: ProcedureSide,
    _ destination: ProcedureSide, _ settings: PlanSettings, live: Bool, window: Bool = true
  ) -> Step {
    let target = destinationPath(area.name, destination) ?? "?"
    let remote: String? =
      if case .remote(let host) = destination.place { host } else { nil }
    let argv = Rsync.areaArguments(
      role: AreaName(area.name).role ?? .config, source: area.path, destination: target,
      remote: remote, ssh: settings.ssh, excluded: area.excluded)
    let phase: Step.Phase = live ? .pass1 : (window ? .window : .pass1)
    return Step(
      "pass\(number).\(area.name)", phase: phase,
      title: "copy \(area.name) (\(area.path)) to the \(destination.role) (\(target))"
        + (live ? ", while the \(source.role) serves" : ""),
      host: source.role, place: .local, argv: argv, tolerated: live ? [Rsync.vanishedFiles] : [],
      timeLimit: settings.passTimeout, changes: true,
      after: live ? [] : ["rsync exits 0 (24, files vanished, is an error now)"],
      onFailure: live
        ? "stop; the \(source.role) was never stopped"
        : (window ? "start the \(source.role)'s Cyrus again, then stop" : "stop"),
      area: area.name)
  }

  /// The import on the destination on a version mismatch: the recipe of
  /// docs/formats/upgrade-22-to-36.md, found by trying with real Cyrus 3.6 — ownership and the
  /// socket directory, the copied mailboxes.db and Berkeley DB caches kept aside (never
  /// deleted), the dump translated and imported with the destination's own `ctl_mboxlist -u`
  /// and read back at once, the other databases converted, every cyrus.index upgraded, quota
  /// usage recomputed. Every step is checked beyond its exit status: Cyrus's tools exit 0
  /// after failing.
  static func importSteps(
    _ source: ProcedureSide, _ destination: ProcedureSide, _ settings: PlanSettings
  ) -> [Step] {
    let to = destination.role
    let place = destination.place
    let config = destination.probe.instance.configDirectory
    let conf = destination.probe.instance.configFile
    let tools = destination.probe.cyrus.tools
    func tool(_ name: String) -> String { tools[name] ?? "/usr/lib/cyrus/bin/" + name }
    let family = destination.probe.cyrus.family ?? .cyrus36plus
    let aside = settings.asideDirectory
    let owner = destination.probe.owner ?? "cyrus"
    let group = destination.probe.group ?? "mail"
    let undo = "stop; the copy is on the \(to); what was kept aside is in \(aside)"
    var steps = [
      Step(
        "import.aside-directory", phase: .importList,
        title: "make \(aside) (outside every area: a later copy would delete what is kept there)",
        host: to, place: place, argv: ["mkdir", "-p", "-m", "700", "--", aside], changes: true,
        onFailure: undo),
      Step(
        "import.socket", phase: .importList,
        title: "make \(config)/socket if it is missing (without it 3.6 writes every message file "
          + "0666); an existing one is left as it is",
        host: to, place: place, argv: ["mkdir", "-p", "-m", "750", "--", config + "/socket"],
        changes: true, onFailure: undo),
      Step(
        "import.ownership", phase: .importList,
        title: "give the areas to \(owner):\(group) (Cyrus's tools refuse files they do not own)",
        host: to, place: place,
        argv: ["chown", "-R", "\(owner):\(group)", "--"]
          + copiedAreas(source).compactMap { destinationPath($0.name, destination) },
        changes: true, onFailure: undo),
    ]
    // mailboxes.db, and every Berkeley DB cache the copy brought (3.6 cannot open them;
    // lmtpd refuses to run beside a Berkeley deliver.db).
    let copied = (source.probe.data.berkeleyFiles ?? []).filter {
      !RuntimeFiles.isRuntime(EntryPath($0), role: .config)
    }
    for relative in (["mailboxes.db"] + copied.filter { $0 != "mailboxes.db" }) {
      let name = relative.replacingOccurrences(of: "/", with: "_")
      steps.append(
        Step(
          "import.aside.\(name)", phase: .importList,
          title: "keep the copied \(relative) aside (never deleted)", host: to, place: place,
          argv: ["mv", "-T", "--", "\(config)/\(relative)", "\(aside)/\(name).\(settings.stamp)"],
          changes: true, after: ["\(config)/\(relative) is gone (mv fails when it is not there)"],
          onFailure: undo))
    }
    steps += [
      Step(
        "import.convert", phase: .importList,
        title: "translate the mailbox list into Cyrus \(family.rawValue)'s format "
          + "(\(family.dumpFormat.rawValue)), uniqueids from the \(source.role)'s cyrus.header "
          + "files, to \(settings.convertedDumpPath)",
        host: source.role, place: .local, action: .convertDump, changes: false, onFailure: undo),
      Step(
        "import.load", phase: .importList,
        title: "import it with the \(to)'s own ctl_mboxlist (it switches to the cyrus user)",
        host: to, place: place, argv: [tool("ctl_mboxlist"), "-C", conf, "-u"],
        input: settings.convertedDumpPath, changes: true,
        after: ["ctl_mboxlist wrote nothing on standard error (it exits 0 when it rejects lines)"],
        onFailure: undo, failsOnErrorOutput: true),
      Step(
        "import.check", phase: .importList,
        title: "read the \(to)'s new mailboxes.db back and compare it entry by entry with the "
          + "imported dump (before anything else rewrites it)",
        host: to, place: place, action: .checkImport, changes: false, onFailure: undo),
      Step(
        "import.databases", phase: .importList,
        title: "convert the other databases to the backends the \(to)'s imapd.conf names",
        host: to, place: place, argv: [tool("ctl_cyrusdb"), "-C", conf, "-r"], changes: true,
        onFailure: undo),
      Step(
        "import.reconstruct", phase: .importList,
        title: "upgrade every cyrus.index to the \(to)'s version (owner's \\Seen into the index, "
          + "modseqs, GUIDs)",
        host: to, place: place, argv: [tool("reconstruct"), "-C", conf, "-V", "max"],
        changes: true, onFailure: undo),
      Step(
        "import.check-indexes", phase: .importList,
        title: "check the \(to)'s cyrus.index files are at its version now",
        host: to, place: place, action: .checkIndexes, changes: false, onFailure: undo),
      Step(
        "import.quota", phase: .importList,
        title: "recompute quota usage (the newer version counts messages and folders too)",
        host: to, place: place, argv: [tool("quota"), "-C", conf, "-f"], changes: true,
        onFailure: undo),
    ]
    return steps
  }
}
