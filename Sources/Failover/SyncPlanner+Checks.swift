import CyrusStore

extension SyncPlanner {
  /// Everything checked before a plan is made; a failed check refuses the plan, and nothing
  /// has been changed on either host.
  static func checks(
    _ source: ProcedureSide, _ destination: ProcedureSide, _ kind: ProcedureKind,
    startDestination: Bool = false
  ) -> [Plan.Check] {
    var checks: [Plan.Check] = []
    let to = destination.role
    let from = source.role
    checks.append(
      destination.running
        ? .init(
          "\(to)-not-running", passed: false,
          "the \(to)'s Cyrus runs (\(destination.runningEvidence)); stop it first: it must not "
            + "run while its data is replaced (seed §6)")
        : .init("\(to)-not-running", passed: true, "no Cyrus runs on the \(to)'s data"))
    if kind != .restore {
      if source.running, source.service == nil {
        checks.append(
          .init(
            "\(from)-service", passed: false,
            "the \(from)'s Cyrus runs but no service was found to stop and start it (no systemd "
              + "unit cyrus-imapd, no init script cyrus-imapd, cyrus2.2, cyrus22 or cyrus21; "
              + "those run only /etc/imapd.conf or /etc/imap/imapd.conf): give "
              + "--\(from)-stop, --\(from)-start and --\(from)-status"))
      } else {
        checks.append(
          .init(
            "\(from)-service", passed: true,
            source.running
              ? "stopped and started with `\(source.service?.stop.joined(separator: " ") ?? "")`, "
                + "`\(source.service?.start.joined(separator: " ") ?? "")`"
              : "the \(from)'s Cyrus is not running: both passes copy it as it is, and it stays stopped"
          ))
      }
    }
    if kind == .restore, startDestination {
      checks.append(
        destination.service == nil
          ? .init(
            "\(to)-service", passed: false,
            "--start was given but the \(to)'s Cyrus has no service to start it (no systemd unit "
              + "or init script runs its imapd.conf): give --\(to)-start and --\(to)-status")
          : .init(
            "\(to)-service", passed: true,
            "started with `\(destination.service?.start.joined(separator: " ") ?? "")`"))
    }
    checks.append(areasCheck(source, destination))
    checks.append(directionCheck(source, destination))
    checks.append(rsyncCheck(source, destination))
    checks.append(freeSpaceCheck(source, destination))
    checks.append(contentsOf: versionChecks(source, destination, kind))
    return checks
  }

  /// Every area of the source has one of the same name on the destination.
  static func areasCheck(_ source: ProcedureSide, _ destination: ProcedureSide) -> Plan.Check {
    let theirs = Set(destination.probe.instance.areas.map(\.name))
    let missing = copiedAreas(source).map(\.name).filter { !theirs.contains($0) }
    guard missing.isEmpty else {
      return .init(
        "areas", passed: false,
        "the \(destination.role)'s imapd.conf (\(destination.probe.instance.configFile)) has no "
          + missing.joined(separator: ", ") + "; every area of the \(source.role) needs one")
    }
    return .init(
      "areas", passed: true,
      copiedAreas(source).map(\.name).joined(separator: ", ") + " copied by name")
  }

  /// The areas copied: those that exist on the source (an unused sievedir may not).
  static func copiedAreas(_ source: ProcedureSide) -> [HostProbe.ProbedArea] {
    source.probe.instance.areas.filter(\.exists)
  }

  /// No destination area is, contains or lies inside a source area on the same host: rsync
  /// never writes toward the source.
  static func directionCheck(_ source: ProcedureSide, _ destination: ProcedureSide)
    -> Plan.Check
  {
    let sameHost =
      destination.place == .local
      || (destination.probe.machineID != nil
        && destination.probe.machineID == source.probe.machineID)
    guard sameHost else {
      return .init(
        "direction", passed: true,
        "the \(destination.role) is another host (machine-id differs); every rsync writes there")
    }
    for theirs in destination.probe.instance.areas {
      for ours in source.probe.instance.areas {
        let same =
          theirs.device != nil && theirs.device == ours.device && theirs.inode == ours.inode
        if same || overlaps(theirs.path, ours.path) {
          return .init(
            "direction", passed: false,
            "the \(destination.role)'s \(theirs.name) (\(theirs.path)) is the \(source.role)'s "
              + "\(ours.name) (\(ours.path)) or overlaps it: a copy there would write to the "
              + "\(source.role)")
        }
      }
    }
    return .init(
      "direction", passed: true,
      "no \(destination.role) area is or overlaps a \(source.role) area on this host")
  }

  static func overlaps(_ a: String, _ b: String) -> Bool {
    let x = BusyProcesses.resolved(a).trimmingSlashes + "/"
    let y = BusyProcesses.resolved(b).trimmingSlashes + "/"
    return x.hasPrefix(y) || y.hasPrefix(x)
  }

  static func rsyncCheck(_ source: ProcedureSide, _ destination: ProcedureSide) -> Plan.Check {
    var missing: [String] = []
    if source.probe.rsync == nil { missing.append("this host") }
    if destination.place != .local, destination.probe.rsync == nil {
      missing.append(destination.place.description)
    }
    guard missing.isEmpty else {
      return .init(
        "rsync", passed: false,
        "rsync is not installed on \(missing.joined(separator: " and ")) (apt install rsync)")
    }
    return .init("rsync", passed: true, "rsync found on both hosts")
  }

  /// The bytes still to arrive on each destination file system fit in its free space.
  static func freeSpaceCheck(_ source: ProcedureSide, _ destination: ProcedureSide)
    -> Plan.Check
  {
    var needed: [UInt64: (UInt64, UInt64, [String])] = [:]
    for area in copiedAreas(source) {
      guard let theirs = destination.probe.instance.areas.first(where: { $0.name == area.name })
      else { continue }
      let coming = area.usedBytes ?? 0
      let there = theirs.usedBytes ?? 0
      let missing = coming > there ? coming - there : 0
      let device = theirs.device ?? 0
      let (sum, free, names) = needed[device] ?? (0, theirs.freeBytes ?? .max, [])
      needed[device] = (sum &+ missing, free, names + [area.name])
    }
    for (_, (sum, free, names)) in needed where sum > free {
      return .init(
        "free-space", passed: false,
        "the \(destination.role)'s file system of \(names.joined(separator: ", ")) has "
          + "\(free) bytes free; about \(sum) more bytes are to arrive")
    }
    return .init(
      "free-space", passed: true, "the copy fits in the \(destination.role)'s free space")
  }

  /// The source data's family is known; the destination's Cyrus (which will read it) is known;
  /// on a mismatch the destination has the tools of the import.
  static func versionChecks(
    _ source: ProcedureSide, _ destination: ProcedureSide, _ kind: ProcedureKind
  ) -> [Plan.Check] {
    guard let data = source.probe.data.family else {
      return [
        .init(
          "versions", passed: false,
          "the \(source.role)'s data does not say which Cyrus wrote it: "
            + (source.probe.data.problem ?? "no mailboxes.db or index to read"))
      ]
    }
    if kind == .backup {
      return [.init("versions", passed: true, "data of Cyrus \(data.rawValue), copied as it is")]
    }
    guard let reader = destination.probe.cyrus.family ?? destination.probe.data.family else {
      return [
        .init(
          "versions", passed: false,
          "no Cyrus is installed on the \(destination.role) (no cyrus-common package) to say "
            + "which format it reads")
      ]
    }
    guard !data.isReadable(by: reader) else {
      return [
        .init(
          "versions", passed: true, "data of Cyrus \(data.rawValue), read by \(reader.rawValue)")
      ]
    }
    var checks = [
      Plan.Check(
        "versions", passed: true,
        "data of Cyrus \(data.rawValue), read by \(reader.rawValue): the mailbox list is imported")
    ]
    let missing = ["ctl_mboxlist", "ctl_cyrusdb", "reconstruct", "quota"].filter {
      destination.probe.cyrus.tools[$0] == nil
    }
    if !missing.isEmpty {
      checks.append(
        .init(
          "import-tools", passed: false,
          "\(missing.joined(separator: ", ")) not installed on the \(destination.role) (needed "
            + "for the import; Debian's cyrus-common has them in /usr/lib/cyrus/bin)"))
    }
    if destination.probe.instance.root != nil {
      checks.append(
        .init(
          "import-tools", passed: false,
          "the \(destination.role) is a root directory (\(destination.probe.instance.root ?? "")): "
            + "Cyrus's own tools would act on the paths its imapd.conf names, not under it; give "
            + "its imapd.conf with its own paths"))
    }
    return checks
  }
}

extension String {
  /// Without trailing slashes (the root stays `/`).
  var trimmingSlashes: String {
    var text = self
    while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
    return text
  }
}
