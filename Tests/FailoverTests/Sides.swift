import Remote

@testable import Failover

/// Inspected sides made in code, as a probe would describe them, for the planner's tests.
enum Sides {
  static func area(
    _ name: String, _ path: String, device: UInt64 = 1, inode: UInt64, used: UInt64 = 1000,
    free: UInt64 = 1 << 40
  ) -> HostProbe.ProbedArea {
    HostProbe.ProbedArea(
      name: name, path: path, exists: true, device: device, inode: inode, freeBytes: free,
      usedBytes: used, excluded: [])
  }

  static func probe(
    root: String, device: UInt64 = 1, inodeBase: UInt64, family: VersionFamily = .cyrus36plus,
    dataFamily: VersionFamily = .cyrus36plus, machine: String = "m1", used: UInt64 = 1000,
    free: UInt64 = 1 << 40, masterPID: Int32? = nil, ctlMboxlist: Bool = true
  ) -> HostProbe {
    HostProbe(
      toolVersion: "test", machineID: machine, hostname: "h",
      instance: .init(
        configFile: root + "/etc/imapd.conf", root: nil, configDirectory: root + "/var/lib/cyrus",
        areas: [
          area(
            "config", root + "/var/lib/cyrus", device: device, inode: inodeBase, used: used,
            free: free),
          area(
            "partition-default", root + "/var/spool/cyrus/mail", device: device,
            inode: inodeBase + 1, used: used, free: free),
        ]),
      cyrus: .init(
        packages: ["cyrus-common": family == .cyrus22 ? "2.2.13-19" : "3.6.1-4+deb12u5"],
        tools: ctlMboxlist
          ? Dictionary(
            uniqueKeysWithValues: ["ctl_mboxlist", "ctl_cyrusdb", "reconstruct", "quota"].map {
              ($0, "/usr/lib/cyrus/bin/" + $0)
            }) : [:],
        family: family),
      data: .init(
        mailboxesDB: "twoskip", layout: "keyspaces36", textValues: false, mailboxes: 3,
        indexMinors: ["17": 3], family: dataFamily, problem: nil,
        berkeleyFiles: dataFamily == .cyrus22
          ? ["mailboxes.db", "deliver.db", "tls_sessions.db"] : []),
      service: .init(manager: nil, unit: nil, masterPID: masterPID, busy: [:]),
      rsync: "/usr/bin/rsync", owner: "cyrus", group: "mail")
  }

  static let service = ServiceCommands(
    stop: ["svc", "stop"], start: ["svc", "start"], status: ["svc", "status"])

  static func primary(
    running: Bool = true, service: ServiceCommands? = Sides.service,
    dataFamily: VersionFamily = .cyrus36plus, used: UInt64 = 1000
  ) -> ProcedureSide {
    ProcedureSide(
      role: "primary", place: .local, instance: nil,
      specification: .local(path: "/p/etc/imapd.conf", root: nil),
      probe: probe(root: "/p", inodeBase: 10, dataFamily: dataFamily, used: used),
      service: service, statusRunning: running)
  }

  static func failover(
    place: HostPlace = .remote("root@f"), running: Bool = false, root: String = "/f",
    inodeBase: UInt64 = 20, machine: String = "m2", family: VersionFamily = .cyrus36plus,
    free: UInt64 = 1 << 40, used: UInt64 = 0, ctlMboxlist: Bool = true
  ) -> ProcedureSide {
    ProcedureSide(
      role: "failover", place: place, instance: nil,
      specification: .local(path: root + "/etc/imapd.conf", root: nil),
      probe: probe(
        root: root, inodeBase: inodeBase, family: family, dataFamily: family, machine: machine,
        used: used, free: free, ctlMboxlist: ctlMboxlist),
      service: nil, statusRunning: running)
  }

  static func settings(_ kind: ProcedureKind = .sync, ssh: SSHSettings? = nil) -> PlanSettings {
    PlanSettings(
      kind: kind, stateDirectory: "/var/lib/cyrus-failover", stamp: "20261204T000000Z",
      ssh: ssh)
  }
}
