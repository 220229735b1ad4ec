import CyrusFormats
import CyrusStore
import Foundation
import Glibc
import Processes

extension HostProbe {
  /// Debian packages that carry Cyrus, newest first (procedure-facts.md).
  static let cyrusPackages = [
    "cyrus-common", "cyrus-imapd", "cyrus-common-2.4", "cyrus-imapd-2.4", "cyrus-common-2.2",
    "cyrus-imapd-2.2", "cyrus21-common", "cyrus21-imapd",
  ]
  /// Where Cyrus's tools live: Debian 3.x, Debian 2.x and upstream's default.
  static let toolDirectories = ["/usr/lib/cyrus/bin", "/usr/sbin", "/usr/cyrus/bin"]
  /// The tools the procedure may run, and master under its names.
  static let toolNames = ["ctl_mboxlist", "ctl_cyrusdb", "reconstruct", "quota", "cyr_dbtool"]
  static let masterNames = ["cyrmaster", "master"]
  /// Service names of Cyrus: the systemd unit and init scripts of Debian and UCS.
  static let serviceNames = ["cyrus-imapd", "cyrus2.2", "cyrus22", "cyrus21"]
  /// Where Debian's master writes its pidfile.
  static let masterPidFiles = ["/run/cyrus-master.pid", "/var/run/cyrus-master.pid"]
  /// The imapd.conf the host's own service runs (Debian's init script and unit without `CONF`;
  /// UCS): that service and pidfile belong to this instance only.
  static let serviceConfigFiles = ["/etc/imapd.conf", "/etc/imap/imapd.conf"]
  /// Mailboxes whose cyrus.index minor version is sampled.
  static let indexSample = 64

  /// Probes this host for `instance`, running only read-only programs (`dpkg-query`) through
  /// `runner`.
  /// - Parameters:
  ///   - usage: also sum the bytes in each area (a metadata walk).
  ///   - runner: runs the read-only programs.
  ///   - berkeley: reads a Berkeley DB mailboxes.db (the executable's child-process reader).
  ///   - searchPath: the `PATH` the procedure's programs (rsync) are looked up on, on this host.
  public static func collect(
    _ instance: CyrusInstance, toolVersion: String, usage: Bool, runner: ProcessRunner,
    berkeley: any BerkeleyRecordReader, searchPath: String
  ) -> HostProbe {
    HostProbe(
      toolVersion: toolVersion, machineID: machineID(), hostname: hostname(),
      instance: probedInstance(instance, usage: usage), cyrus: installation(runner),
      data: dataFormat(instance, berkeley: berkeley), service: serviceFacts(instance),
      rsync: Invocation.resolve("rsync", searchPath: searchPath),
      owner: ownerName(of: instance.configDirectory).user,
      group: ownerName(of: instance.configDirectory).group)
  }

  static func machineID() -> String? {
    guard let data = FileManager.default.contents(atPath: "/etc/machine-id") else { return nil }
    let text = String(decoding: data.prefix(64), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }

  static func hostname() -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    guard gethostname(&buffer, buffer.count - 1) == 0 else { return "?" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  static func probedInstance(_ instance: CyrusInstance, usage: Bool) -> ProbedInstance {
    let areas = instance.areas.map { area -> ProbedArea in
      var info = stat()
      let exists = lstat(area.path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
      var fs = statvfs()
      let free =
        statvfs(area.path, &fs) == 0 ? UInt64(fs.f_bfree) &* UInt64(fs.f_frsize) : nil
      return ProbedArea(
        name: area.name, path: area.path, exists: exists,
        device: exists ? UInt64(info.st_dev) : nil, inode: exists ? UInt64(info.st_ino) : nil,
        freeBytes: free, usedBytes: usage && exists ? usedBytes(instance, area: area) : nil,
        excluded: area.excluded.map(\.description))
    }
    return ProbedInstance(
      configFile: instance.configFile, root: instance.root,
      configDirectory: instance.configDirectory, areas: areas)
  }

  /// Bytes in an area's files, each inode once: a metadata walk (no content read).
  static func usedBytes(_ instance: CyrusInstance, area: StoreArea) -> UInt64 {
    var only = instance
    only.areas = [area]
    let walker = InstanceWalker(
      instance: only, options: WalkOptions(level: .meta, includeRuntime: true, hashJobs: 1))
    var total: UInt64 = 0
    while let entry = walker.next() {
      guard entry.kind == .file else { continue }
      // A second name of an inode counts once: its leader is another path.
      if let leader = entry.hardLinkLeader, leader != entry.location { continue }
      let (sum, overflow) = total.addingReportingOverflow(entry.size)
      total = overflow ? .max : sum
    }
    return total
  }

  static func installation(_ runner: ProcessRunner) -> CyrusInstallation {
    var packages: [String: String] = [:]
    if let dpkg = Invocation.resolve("dpkg-query", searchPath: "/usr/bin:/bin") {
      let invocation = Invocation(
        dpkg, ["-W", "-f", "${Package}\t${Version}\t${db:Status-Status}\n"] + cyrusPackages,
        environment: Invocation.minimalEnvironment)
      if let outcome = try? runner.run(invocation, timeLimit: .seconds(30)) {
        for line in outcome.outputText.split(separator: "\n") {
          let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
          if fields.count == 3, fields[2] == "installed" {
            packages[String(fields[0])] = String(fields[1])
          }
        }
      }
    }
    var tools: [String: String] = [:]
    for name in toolNames + masterNames {
      for directory in toolDirectories where tools[name] == nil {
        let path = directory + "/" + name
        if access(path, X_OK) == 0 { tools[name] = path }
      }
    }
    let family = cyrusPackages.lazy.compactMap { packages[$0] }.compactMap {
      VersionFamily(version: $0)
    }.first
    return CyrusInstallation(packages: packages, tools: tools, family: family)
  }

  /// The config-directory files a Cyrus 2.x may keep in Berkeley DB.
  static let berkeleyCandidates = [
    "mailboxes.db", "deliver.db", "tls_sessions.db", "ptclient/ptscache.db", "statuscache.db",
  ]

  static func dataFormat(_ instance: CyrusInstance, berkeley: any BerkeleyRecordReader)
    -> DataFormat
  {
    var format = listFormat(instance, berkeley: berkeley)
    format.berkeleyFiles = berkeleyCandidates.filter { relative in
      let kind = try? CyrusDatabaseFile(path: instance.configDirectory + "/" + relative).kind
      return kind == .berkeleyBtree || kind == .berkeleyHash
    }
    return format
  }

  static func listFormat(_ instance: CyrusInstance, berkeley: any BerkeleyRecordReader)
    -> DataFormat
  {
    let path = instance.mailboxesDBPath
    var info = stat()
    guard lstat(path, &info) == 0 else {
      return DataFormat(
        mailboxesDB: "absent", layout: nil, textValues: nil, mailboxes: 0, indexMinors: [:],
        family: nil, problem: nil)
    }
    let list: MailboxList
    do {
      list = try MailboxList.read(
        path: path, deletedPrefix: instance.deletedPrefix, berkeley: berkeley)
    } catch {
      let kind = (try? CyrusDatabaseFile(path: path).kind.rawValue) ?? "unreadable"
      return DataFormat(
        mailboxesDB: kind, layout: nil, textValues: nil, mailboxes: 0, indexMinors: [:],
        family: nil, problem: "\(error)")
    }
    var minors: [UInt32: Int] = [:]
    let location = SpoolLocation(instance)
    for entry in list.entries.prefix(indexSample) {
      guard let partition = entry.partition, let root = instance.partitionPath(partition),
        let directory = location.directory(of: entry, layout: list.layout),
        let minor = indexMinor(root + "/" + directory.description + "/cyrus.index")
      else { continue }
      minors[minor, default: 0] += 1
    }
    // 2.2 – 2.4 text values record no uniqueid; 2.5+ dlists and 3.6 records always do.
    let textValues =
      list.layout == .byName && !list.entries.isEmpty
      && list.entries.allSatisfy { $0.uniqueID == nil }
    let family = VersionFamily(
      layout: list.layout, textValues: textValues, indexMinors: Array(minors.keys))
    return DataFormat(
      mailboxesDB: list.kind.rawValue, layout: list.layout?.rawValue, textValues: textValues,
      mailboxes: list.entries.count,
      indexMinors: Dictionary(uniqueKeysWithValues: minors.map { ("\($0.key)", $0.value) }),
      family: family, problem: nil)
  }

  /// The minor version in a cyrus.index header (bytes 8–11, big endian), read without
  /// following a link or blocking on a FIFO.
  static func indexMinor(_ path: String) -> UInt32? {
    let fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
    var header = [UInt8](repeating: 0, count: 12)
    guard pread(fd, &header, 12, 0) == 12 else { return nil }
    return header[8..<12].reduce(0) { $0 << 8 | UInt32($1) }
  }

  /// The host's Cyrus service and master's pidfile, only when `instance` is the one that
  /// service runs: another imapd.conf on the same host (a failover beside the primary, a test
  /// instance) is not stopped, started or asked about by the host's own service.
  static func serviceFacts(_ instance: CyrusInstance) -> ServiceFacts {
    let busy = BusyProcesses.holding(instance.areas.map(\.path))
    guard isServiceInstance(instance) else {
      return ServiceFacts(
        manager: nil, unit: nil, masterPID: masterPID(running: instance), busy: busy)
    }
    var manager: String?
    var unit: String?
    let systemd = FileManager.default.fileExists(atPath: "/run/systemd/system")
    for name in serviceNames where unit == nil {
      let units = ["/etc/systemd/system/\(name).service", "/lib/systemd/system/\(name).service"]
      if systemd, units.contains(where: { FileManager.default.fileExists(atPath: $0) }) {
        (manager, unit) = ("systemd", name)
      } else if access("/etc/init.d/\(name)", X_OK) == 0 {
        (manager, unit) = ("sysv", "/etc/init.d/\(name)")
      }
    }
    return ServiceFacts(
      manager: manager, unit: unit, masterPID: masterPID() ?? masterPID(running: instance),
      busy: busy)
  }

  /// Whether `instance` is the host's own: its imapd.conf is one the service runs, its paths
  /// read as they are (no root).
  static func isServiceInstance(_ instance: CyrusInstance) -> Bool {
    guard instance.root == nil || BusyProcesses.resolved(instance.root ?? "") == "/" else {
      return false
    }
    return serviceConfigFiles.contains(BusyProcesses.resolved(instance.configFile))
  }

  /// master's pid from Debian's pidfile, when that process runs and is master.
  static func masterPID() -> Int32? {
    for file in masterPidFiles {
      guard let data = FileManager.default.contents(atPath: file),
        let pid = Int32(
          String(decoding: data.prefix(32), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)), pid > 0,
        let command = BusyProcesses.command(of: pid), masterNames.contains(command)
      else { continue }
      return pid
    }
    return nil
  }

  /// A master process (`cyrmaster`, `master`) whose `-C` names `instance`'s imapd.conf, or
  /// that has no `-C` when `instance` is the host's own: an idle Cyrus holds no file of its
  /// areas open, so its master is how one knows it runs. An instance read under a root (a
  /// backup directory) is never one a master runs: that master uses the paths as written.
  static func masterPID(running instance: CyrusInstance) -> Int32? {
    guard instance.root == nil else { return nil }
    let own = BusyProcesses.resolved(instance.configFile)
    let isDefault = isServiceInstance(instance)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
      return nil
    }
    for name in names {
      guard let pid = Int32(name), let command = BusyProcesses.command(of: pid),
        masterNames.contains(command),
        let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { continue }
      let words = data.split(separator: 0, omittingEmptySubsequences: false).map {
        String(decoding: $0, as: UTF8.self)
      }
      guard let index = words.firstIndex(of: "-C"), index + 1 < words.count else {
        if isDefault { return pid }
        continue
      }
      var config = words[index + 1]
      if !config.hasPrefix("/"), let cwd = BusyProcesses.link("/proc/\(pid)/cwd") {
        config = cwd + "/" + config
      }
      if BusyProcesses.resolved(config) == own { return pid }
    }
    return nil
  }

  static func ownerName(of path: String) -> (user: String?, group: String?) {
    var info = stat()
    guard stat(path, &info) == 0 else { return (nil, nil) }
    let user = getpwuid(info.st_uid).map { String(cString: $0.pointee.pw_name) }
    let group = getgrgid(info.st_gid).map { String(cString: $0.pointee.gr_name) }
    return (user, group)
  }
}
