import Remote

/// The three procedures of the seed document.
public enum ProcedureKind: String, Sendable, Codable {
  /// A live primary copied to a failover (seed §4–§6).
  case sync
  /// A live primary copied into a directory (seed §3–§6, `/opt/backup-cyrus`).
  case backup
  /// A backup directory copied back into an instance whose Cyrus is stopped (seed §7).
  case restore

  /// The role names of the side copied from and the side copied to.
  public var roles: (source: String, destination: String) {
    switch self {
    case .sync: ("primary", "failover")
    case .backup: ("primary", "backup")
    case .restore: ("backup", "target")
    }
  }
}

/// What a plan is made with besides its two sides.
public struct PlanSettings: Sendable {
  /// Which procedure.
  public var kind: ProcedureKind
  /// A directory on this host for the saved manifest, the converted dump and the log.
  public var stateDirectory: String
  /// `20261204T153000Z`: names what this run leaves behind (the mailboxes.db kept aside).
  public var stamp: String
  /// Seconds Cyrus gets to stop, and to start.
  public var stopTimeout: Int
  public var startTimeout: Int
  /// Seconds one rsync pass may take.
  public var passTimeout: Int
  /// cyrus-failover on the destination's host (for reading its mailboxes.db back).
  public var remoteCommand: String
  /// How the destination is reached when it is remote.
  public var ssh: SSHSettings?
  /// Start the destination's Cyrus at the end (restore `--start`).
  public var startDestination: Bool

  /// Makes settings.
  public init(
    kind: ProcedureKind, stateDirectory: String, stamp: String, stopTimeout: Int = 120,
    startTimeout: Int = 120, passTimeout: Int = 24 * 3600, remoteCommand: String = "cyrus-failover",
    ssh: SSHSettings? = nil, startDestination: Bool = false
  ) {
    self.kind = kind
    self.stateDirectory = stateDirectory
    self.stamp = stamp
    self.stopTimeout = stopTimeout
    self.startTimeout = startTimeout
    self.passTimeout = passTimeout
    self.remoteCommand = remoteCommand
    self.ssh = ssh
    self.startDestination = startDestination
  }

  /// The manifest of the source saved in the window.
  public var manifestPath: String { stateDirectory + "/source-\(stamp).cfm" }
  /// Where the destination keeps what an import moves out of its config directory (on the
  /// destination's host: outside every area, so that no later copy deletes it).
  public var asideDirectory: String { stateDirectory + "/aside-\(stamp)" }
  /// The dump translated for the destination's Cyrus.
  public var convertedDumpPath: String { stateDirectory + "/mailboxlist-\(stamp).import" }
}
