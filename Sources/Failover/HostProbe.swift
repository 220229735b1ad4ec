import CyrusFormats

/// What one host has, as far as the procedure needs to know before it changes anything: read
/// only, on the host itself (`cyrus-failover probe` over SSH for a remote one) and sent back as
/// JSON.
public struct HostProbe: Sendable, Codable, Equatable {
  /// The cyrus-failover version that made the probe.
  public var toolVersion: String
  /// `/etc/machine-id`, to tell two hosts apart (a "remote" failover that is this host).
  public var machineID: String?
  /// The host name.
  public var hostname: String
  /// The instance: imapd.conf, its areas.
  public var instance: ProbedInstance
  /// Cyrus packages installed (Debian package → version) and its tools found.
  public var cyrus: CyrusInstallation
  /// The format of the instance's data.
  public var data: DataFormat
  /// How Cyrus is run there, and whether it runs.
  public var service: ServiceFacts
  /// rsync's path and version line, when installed.
  public var rsync: String?
  /// The user and group that own the config directory.
  public var owner: String?
  public var group: String?

  /// The instance as its imapd.conf describes it on that host.
  public struct ProbedInstance: Sendable, Codable, Equatable {
    public var configFile: String
    public var root: String?
    public var configDirectory: String
    public var areas: [ProbedArea]
  }

  /// One area on that host.
  public struct ProbedArea: Sendable, Codable, Equatable {
    /// `config`, `partition-default`, …
    public var name: String
    /// Its path on that host.
    public var path: String
    /// Whether the path exists as a directory.
    public var exists: Bool
    /// Device and inode of the directory (to tell whether two paths are one).
    public var device: UInt64?
    public var inode: UInt64?
    /// Free bytes of its file system for root (`f_bfree × f_frsize`).
    public var freeBytes: UInt64?
    /// Bytes in its files (hard links once), when asked for.
    public var usedBytes: UInt64?
    /// Subtrees left out because another area covers them.
    public var excluded: [String]
  }

  /// What Cyrus is installed.
  public struct CyrusInstallation: Sendable, Codable, Equatable {
    /// Debian packages installed: name → version.
    public var packages: [String: String]
    /// Tools found: `ctl_mboxlist`, `ctl_cyrusdb`, `reconstruct`, `quota`, `master` → path.
    public var tools: [String: String]
    /// The family of the installed Cyrus (from its package), if any is installed.
    public var family: VersionFamily?
  }

  /// What the data on disk says.
  public struct DataFormat: Sendable, Codable, Equatable {
    /// mailboxes.db's backend by its magic (`absent` when there is none).
    public var mailboxesDB: String
    /// `byName` or `keyspaces36`.
    public var layout: String?
    /// Whether values are 2.2 – 2.4 text (`mbtype partition acl`).
    public var textValues: Bool?
    /// Mailboxes in it.
    public var mailboxes: Int
    /// cyrus.index minor versions seen in a sample of mailboxes → how many.
    public var indexMinors: [String: Int]
    /// The family the data says wrote it.
    public var family: VersionFamily?
    /// Why the data could not be read, when it could not.
    public var problem: String?
    /// Files of the config directory that are Berkeley DB files (mailboxes.db, the caches of
    /// 2.x: `deliver.db`, `tls_sessions.db`, `ptclient/ptscache.db`, `statuscache.db`).
    public var berkeleyFiles: [String]?
  }

  /// How Cyrus runs there.
  public struct ServiceFacts: Sendable, Codable, Equatable {
    /// `systemd` or `sysv`, when a Cyrus service is installed.
    public var manager: String?
    /// The systemd unit or init script.
    public var unit: String?
    /// master's pid, from its pidfile, while it runs.
    public var masterPID: Int32?
    /// Processes holding files inside the instance's areas open: pid → command.
    public var busy: [String: String]
  }
}
