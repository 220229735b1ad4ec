import CyrusStore
import Remote

/// One side of a procedure once inspected: where it is, its instance, what its host has, how
/// its Cyrus is run, and whether it runs now.
public struct ProcedureSide: Sendable {
  /// `primary`, `failover`, `backup` or `target`.
  public var role: String
  /// Where it is.
  public var place: HostPlace
  /// The instance when it is on this host (its paths are read here).
  public var instance: CyrusInstance?
  /// How the side was named (for verify).
  public var specification: SideSpecification
  /// What its host has.
  public var probe: HostProbe
  /// How its Cyrus is stopped and started; nil when it has none (a backup directory).
  public var service: ServiceCommands?
  /// Whether its status command said Cyrus runs (nil: no status command).
  public var statusRunning: Bool?

  /// Makes a side.
  public init(
    role: String, place: HostPlace, instance: CyrusInstance?, specification: SideSpecification,
    probe: HostProbe, service: ServiceCommands?, statusRunning: Bool?
  ) {
    self.role = role
    self.place = place
    self.instance = instance
    self.specification = specification
    self.probe = probe
    self.service = service
    self.statusRunning = statusRunning
  }

  /// Whether Cyrus runs on this side's data: its status command, master's pidfile, or a
  /// process holding a file of its areas open.
  public var running: Bool {
    statusRunning == true || probe.service.masterPID != nil || !probe.service.busy.isEmpty
  }

  /// Words saying why it counts as running.
  public var runningEvidence: String {
    var evidence: [String] = []
    if statusRunning == true {
      evidence.append(
        service.map { "`\($0.status.joined(separator: " "))` says it runs" }
          ?? "its status command says it runs")
    }
    if let pid = probe.service.masterPID { evidence.append("master runs as pid \(pid)") }
    if !probe.service.busy.isEmpty {
      let some = probe.service.busy.sorted { $0.key < $1.key }.prefix(5)
        .map { "\($0.value) [\($0.key)]" }
      evidence.append("processes hold its files open: \(some.joined(separator: ", "))")
    }
    return evidence.joined(separator: "; ")
  }

  /// The plan's description of this side.
  var planSide: Plan.Side {
    let version = HostProbe.cyrusPackages.lazy.compactMap { self.probe.cyrus.packages[$0] }.first
    return Plan.Side(
      role: role, place: place, configFile: probe.instance.configFile,
      root: probe.instance.root,
      areas: Dictionary(uniqueKeysWithValues: probe.instance.areas.map { ($0.name, $0.path) }),
      cyrusVersion: version, cyrusFamily: probe.cyrus.family, dataFamily: probe.data.family,
      stop: service?.stop, start: service?.start, status: service?.status)
  }
}
