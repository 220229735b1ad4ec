import CyrusStore
import Processes
import Remote
import Verification

/// What `promote` is asked: the failover, the sign-off it is promoted on, and how its Cyrus is
/// started.
public struct PromotionRequest: Sendable {
  /// The failover: an imapd.conf or root on this host, or `[user@]host:PATH`.
  public var failover: SideSpecification
  /// `signoff.json`, or the directory holding it.
  public var signOff: String
  /// How to check the sign-off's signature; nil: not checked.
  public var signature: SignOffInspection.SignatureCheck?
  /// Start and status commands given on the command line (each nil: found on the host).
  public var start: [String]?
  public var status: [String]?
  /// Start even when a check refuses (`--force`).
  public var force: Bool
  /// Seconds Cyrus gets to start.
  public var startTimeout: Int
  /// How a remote failover is reached, and the cyrus-failover run there.
  public var ssh: SSHSettings?
  /// This tool's version, the environment of programs run on this host, the runner, the
  /// Berkeley DB reader.
  public var toolVersion: String
  public var environment: [String: String]
  public var runner: ProcessRunner
  public var berkeleyReader: any BerkeleyRecordReader

  /// Makes a request.
  public init(
    failover: SideSpecification, signOff: String, ssh: SSHSettings?, toolVersion: String,
    environment: [String: String], runner: ProcessRunner,
    berkeleyReader: any BerkeleyRecordReader
  ) {
    self.failover = failover
    self.signOff = signOff
    self.signature = nil
    self.start = nil
    self.status = nil
    self.force = false
    self.startTimeout = 120
    self.ssh = ssh
    self.toolVersion = toolVersion
    self.environment = environment
    self.runner = runner
    self.berkeleyReader = berkeleyReader
  }
}

/// The promotion of a failover (seed §8, "start the failover's Cyrus"), gated by a sign-off: its
/// Cyrus is started only when every check passes — the sign-off itself (``SignOffInspection``:
/// signature, schema, tool version, counts, its manifests' digests), its verdict is
/// `consistent`, it names this failover, the failover's Cyrus does not run, the failover still
/// matches the manifest the sign-off saved, and a start and a status command are known — or
/// when `force` overrides a refusal. Making the value only reads (the sign-off, the failover's
/// probe and a metadata walk); ``execute(log:)`` starts Cyrus.
public final class Promotion {
  /// What it was asked.
  public let request: PromotionRequest
  /// The sign-off as inspected.
  public let inspection: SignOffInspection
  /// Every check, the sign-off's first.
  public private(set) var checks: [Plan.Check] = []
  /// The failover's host as probed now.
  public let probe: HostProbe
  /// The start and status commands (nil when none is found or given).
  public let service: (start: [String], status: [String])?
  /// What changed on the failover since the sign-off (the first ``changeLimit``), and how
  /// many changes there are; nil when the comparison did not run.
  public internal(set) var changes: [Finding] = []
  public internal(set) var changeCount: Int?
  /// Changes kept for the report.
  public static let changeLimit = 50
  let host: CommandHost

  /// Inspects the sign-off, probes the failover and compares it with the sign-off's manifest.
  /// - Throws: ``ProcedureError`` when the failover cannot be probed (a missing imapd.conf, a
  ///   host that cannot be reached); a bad sign-off or a changed failover is a failed check.
  public init(_ request: PromotionRequest) throws {
    self.request = request
    inspection = SignOffInspection.inspect(
      request.signOff, toolVersion: request.toolVersion, signature: request.signature)
    switch request.failover {
    case .local(let path, let root):
      host = CommandHost(place: .local, ssh: nil, environment: request.environment)
      probe = HostProbe.collect(
        try CyrusInstance.locate(path, root: root), toolVersion: request.toolVersion,
        usage: false, runner: request.runner, berkeley: request.berkeleyReader,
        searchPath: host.searchPath)
    case .remote(let target, let root):
      guard let ssh = request.ssh else {
        throw ProcedureError(.probe, "\(target): a remote failover needs SSH settings")
      }
      host = CommandHost(
        place: .remote(target.destination), ssh: ssh, environment: request.environment)
      probe = try HostProbe.remote(
        target, root: root, host: host, remoteCommand: ssh.remoteCommand,
        toolVersion: request.toolVersion, runner: request.runner)
    case .manifest:
      throw ProcedureError(.refused, "a saved manifest cannot be promoted: name the failover")
    }
    let found = ServiceCommands.found(in: probe.service)
    if let start = request.start ?? found?.start, let status = request.status ?? found?.status {
      service = (start, status)
    } else {
      service = nil
    }
    checks = inspection.checks
    let signOff = inspection.signOff
    checks.append(verdictCheck(signOff))
    let same = sameFailoverCheck(signOff)
    checks.append(same)
    checks.append(stoppedCheck())
    checks.append(unchangedCheck(signOff, sameFailover: same.passed))
    checks.append(serviceCheck())
  }

  /// The checks that failed.
  public var refusals: [Plan.Check] { checks.filter { !$0.passed } }

  /// Whether Cyrus is (or would be) started: no refusal, or `force` and a start command.
  public var willStart: Bool { service != nil && (refusals.isEmpty || request.force) }

  /// The failover's place, for messages.
  public var place: HostPlace { host.place }

  private func verdictCheck(_ signOff: SignOff?) -> Plan.Check {
    guard let signOff else {
      return .init("verdict", passed: false, "not checked: the sign-off does not read")
    }
    let findings = signOff.findings
    return signOff.verdict == .consistent
      ? .init(
        "verdict", passed: true,
        "consistent when signed off (\(signOff.created), by \(signOff.madeBy))")
      : .init(
        "verdict", passed: false,
        "the sign-off's verdict is \(signOff.verdict.rawValue) (\(findings.total) findings: "
          + Severity.allCases.reversed().map {
            "\(findings.severities[$0.rawValue] ?? 0) \($0.rawValue)"
          }.joined(separator: ", ")
          + "): the failover was not consistent with its primary when it was signed off")
  }
}
