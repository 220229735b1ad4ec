import CyrusStore
import Foundation
import Glibc
import Processes
import Remote
import Verification

/// Writes a sign-off directory: each side's manifest (the failover's saved now, at `meta`
/// level; the primary's saved now or copied from the one a procedure saved in its stopped
/// window), `signoff.json`, `signoff.html`, and with a key `signoff.json.sig`. `verify
/// --sign-off`, `sync --sign-off` and a repair call it at their end.
///
/// Every file is written atomically; an older `signoff.json.sig` is removed before the new
/// report is written, so a signature never stands beside a report it was not made for.
public struct SignOffWriter {
  /// The directory (on this host), made 0700 when missing.
  public var directory: String
  /// This tool's version (remote probes and agents must match it).
  public var toolVersion: String
  /// Starts ssh, the remote probe and ssh-keygen.
  public var runner: ProcessRunner
  /// The environment of programs run on this host (ssh-keygen, ssh).
  public var environment: [String: String]
  /// Reads Berkeley DB files while walking a local side.
  public var berkeleyReader: any BerkeleyRecordReader
  /// How a remote side is reached, and the cyrus-failover run there.
  public var ssh: SSHSettings?
  /// A private key (or a public key whose private half the agent holds) to sign with.
  public var signKey: String?

  /// Makes a writer.
  public init(
    directory: String, toolVersion: String, runner: ProcessRunner,
    environment: [String: String], berkeleyReader: any BerkeleyRecordReader,
    ssh: SSHSettings?, signKey: String? = nil
  ) {
    self.directory = directory
    self.toolVersion = toolVersion
    self.runner = runner
    self.environment = environment
    self.berkeleyReader = berkeleyReader
    self.ssh = ssh
    self.signKey = signKey
  }

  /// One side as the caller knows it.
  public struct SideInput {
    /// `primary` or `failover`.
    public var role: String
    /// How it was named: what the writer probes and walks.
    public var specification: SideSpecification
    /// Its host's probe when the caller has one (a procedure does); probed here otherwise.
    public var probe: HostProbe?
    /// Where its manifest comes from (the failover's is always saved or copied: promote
    /// compares the failover with it).
    public var manifest: ManifestOrigin

    /// Describes a side.
    public init(
      role: String, specification: SideSpecification, probe: HostProbe? = nil,
      manifest: ManifestOrigin
    ) {
      self.role = role
      self.specification = specification
      self.probe = probe
      self.manifest = manifest
    }
  }

  /// Where a side's manifest in the sign-off comes from.
  public enum ManifestOrigin: Sendable {
    /// Walk the side now (`meta` level, no runtime files) and save it.
    case save
    /// Copy a manifest saved before (a procedure's window manifest, `--primary-manifest`).
    case copy(String)
    /// None (a procedure that ended before it saved one).
    case none
  }

  /// What was written.
  public struct Written: Sendable {
    /// The report, and the paths of its files.
    public var signOff: SignOff
    public var json: String
    public var html: String
    public var signature: String?
  }

  /// Saves the manifests and writes the report (and its signature).
  /// - Parameters:
  ///   - madeBy: `verify`, `sync` or `repair`.
  ///   - verification: the last verification's result; nil when a procedure ended before it
  ///     (the verdict is then `incomplete`).
  ///   - policy: what made that verdict `differences`.
  ///   - level: that verification's level.
  ///   - procedure: the procedure's report, when one wrote the sign-off.
  /// - Throws: ``SignOffError``, or the error of a side that cannot be probed or walked.
  public func write(
    madeBy: String, verification: VerifyResult?, policy: VerdictPolicy, level: VerifyLevel,
    procedure: ProcedureReport?, primary: SideInput, failover: SideInput
  ) throws -> Written {
    try makeDirectory()
    let json = path(SignOff.jsonName)
    let signature = json + ".sig"
    // Whatever follows, the old report's signature must not stand beside the new report.
    guard unlink(signature) == 0 || errno == ENOENT else {
      throw SignOffError(
        .write, "\(signature): cannot remove the old signature: \(String(cString: strerror(errno)))"
      )
    }
    let failoverManifest = try manifest(failover, name: SignOff.failoverManifestName)
    guard let failoverManifest else {
      preconditionFailure(
        "a sign-off records the failover's manifest: ManifestOrigin.none is for the primary")
    }
    let primaryManifest = try manifest(primary, name: SignOff.primaryManifestName)
    let verdict = verification?.verdict ?? .incomplete
    let signOff = SignOff(
      schema: SignOff.schemaName, version: SignOff.schemaVersion, toolVersion: toolVersion,
      madeBy: madeBy, created: Self.timestamp(Date()), verdict: verdict,
      exitStatus: ExitStatus(verdict).rawValue, level: level.rawValue,
      policy: SignOff.Policy(policy), primary: try side(primary), failover: try side(failover),
      procedure: procedure.map(SignOff.Procedure.init),
      findings: verification.map(SignOff.Findings.init) ?? .none,
      manifests: SignOff.Manifests(primary: primaryManifest, failover: failoverManifest))
    let html = path(SignOff.htmlName)
    try AtomicFile.replace(json, with: try signOff.jsonBytes(), mode: 0o644)
    try AtomicFile.replace(html, with: Array(signOff.html.utf8), mode: 0o644)
    var signed: String?
    if let signKey {
      signed = try SignOffSignature.sign(
        file: json, key: signKey, runner: runner, environment: environment)
    }
    return Written(signOff: signOff, json: json, html: html, signature: signed)
  }

  func path(_ name: String) -> String { directory + "/" + name }

  private func makeDirectory() throws {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) {
      guard isDirectory.boolValue else {
        throw SignOffError(.write, "\(directory): not a directory")
      }
      return
    }
    do {
      try FileManager.default.createDirectory(
        atPath: directory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
    } catch {
      throw SignOffError(.write, "\(directory): cannot make the directory: \(error)")
    }
  }

  /// `2026-03-05T14:03:11Z`.
  static func timestamp(_ date: Date) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: date)
  }
}
