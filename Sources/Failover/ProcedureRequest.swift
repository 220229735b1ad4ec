import CyrusStore
import Processes
import Remote
import Verification

/// Everything a procedure is asked with: its two sides, how to stop and start their Cyrus, and
/// where it keeps what it leaves behind.
public struct ProcedureRequest: Sendable {
  /// Which procedure.
  public var kind: ProcedureKind
  /// The side copied from: on this host (sync and backup run on the primary, as the seed does).
  public var source: SideSpecification
  /// The side copied to: this host or another.
  public var destination: SideSpecification
  /// Service commands given on the command line (each nil: found on the host).
  public var sourceService: (stop: [String]?, start: [String]?, status: [String]?)
  public var destinationService: (stop: [String]?, start: [String]?, status: [String]?)
  /// How the destination is reached when it is remote; what runs there.
  public var ssh: SSHSettings?
  public var remoteCommand: String
  /// The directory for the saved manifest and the converted dump; the lock; the JSON log.
  public var stateDirectory: String
  public var lockPath: String
  public var logPath: String?
  /// Time limits in seconds.
  public var stopTimeout: Int
  public var startTimeout: Int
  /// Restore: start the target's Cyrus at the end.
  public var startDestination: Bool
  /// This tool: its version (probes must match) and its path (the watchdog runs it).
  public var toolVersion: String
  public var executable: String
  /// The environment of programs run on this host, the runner, the Berkeley DB reader.
  public var environment: [String: String]
  public var runner: ProcessRunner
  public var berkeleyReader: any BerkeleyRecordReader
  /// What makes the verification's verdict `differences`.
  public var policy: VerdictPolicy

  /// Makes a request with the defaults of the command line.
  public init(
    kind: ProcedureKind, source: SideSpecification, destination: SideSpecification,
    ssh: SSHSettings?, remoteCommand: String = "cyrus-failover",
    stateDirectory: String = "/var/lib/cyrus-failover",
    lockPath: String = "/run/lock/cyrus-failover.lock", toolVersion: String, executable: String,
    environment: [String: String], runner: ProcessRunner,
    berkeleyReader: any BerkeleyRecordReader
  ) {
    self.kind = kind
    self.source = source
    self.destination = destination
    self.sourceService = (nil, nil, nil)
    self.destinationService = (nil, nil, nil)
    self.ssh = ssh
    self.remoteCommand = remoteCommand
    self.stateDirectory = stateDirectory
    self.lockPath = lockPath
    self.logPath = nil
    self.stopTimeout = 120
    self.startTimeout = 120
    self.startDestination = false
    self.toolVersion = toolVersion
    self.executable = executable
    self.environment = environment
    self.runner = runner
    self.berkeleyReader = berkeleyReader
    self.policy = VerdictPolicy()
  }
}
