import Foundation
import Processes
import Remote
import Verification

/// What `verify-sign-off` and `promote` check of a sign-off before they trust it: its signature
/// (when allowed signers are given), that it reads as this schema and version, that this
/// version of the tool wrote it, that its verdict follows from its own counts, and that each
/// manifest it names is in its directory and hashes to the digests it records. Each check is a
/// value with what was found; nothing is thrown for a bad sign-off.
public struct SignOffInspection: Sendable {
  /// The report file and the directory it lies in (its manifests are named relative to it).
  public var json: String
  public var directory: String
  /// The report, when it reads.
  public var signOff: SignOff?
  /// Every check, in order.
  public var checks: [Plan.Check]

  /// Whether every check passed.
  public var passed: Bool { checks.allSatisfy(\.passed) }

  /// How to check the signature: `ssh-keygen -Y verify` with these.
  public struct SignatureCheck: Sendable {
    /// ssh-keygen's ALLOWED SIGNERS file, and the identity (principal) that must have signed.
    public var allowedSigners: String
    public var identity: String
    public var runner: ProcessRunner
    public var environment: [String: String]

    /// Makes the check's settings.
    public init(
      allowedSigners: String, identity: String, runner: ProcessRunner,
      environment: [String: String]
    ) {
      self.allowedSigners = allowedSigners
      self.identity = identity
      self.runner = runner
      self.environment = environment
    }
  }

  /// Inspects the sign-off at `location` (`signoff.json`, or the directory holding it).
  /// - Parameters:
  ///   - toolVersion: this tool's version: a sign-off of another version is refused (its
  ///     manifests' entry encoding, which the digests are taken over, may differ).
  ///   - signature: checks `signoff.json.sig` when given; without it the signature is not
  ///     checked, and a check says so.
  public static func inspect(
    _ location: String, toolVersion: String, signature: SignatureCheck?
  ) -> SignOffInspection {
    var isDirectory: ObjCBool = false
    let json =
      FileManager.default.fileExists(atPath: location, isDirectory: &isDirectory)
        && isDirectory.boolValue
      ? location + "/" + SignOff.jsonName : location
    let directory = (json as NSString).deletingLastPathComponent
    var inspection = SignOffInspection(
      json: json, directory: directory.isEmpty ? "." : directory, signOff: nil, checks: [])
    inspection.checks.append(inspection.signatureCheck(signature))
    do {
      let signOff = try SignOff.read(json)
      inspection.signOff = signOff
      inspection.checks.append(
        .init("sign-off", passed: true, "\(json): \(SignOff.schemaName) version \(signOff.version)")
      )
      inspection.checks.append(toolCheck(signOff, toolVersion))
      inspection.checks.append(countsCheck(signOff))
      inspection.checks.append(inspection.manifestCheck(signOff.manifests.failover, "failover"))
      if let primary = signOff.manifests.primary {
        inspection.checks.append(inspection.manifestCheck(primary, "primary"))
      }
    } catch {
      inspection.checks.append(.init("sign-off", passed: false, "\(error)"))
    }
    return inspection
  }

  /// The signature over the report's bytes, checked before the report is even read.
  func signatureCheck(_ check: SignatureCheck?) -> Plan.Check {
    let signature = json + ".sig"
    let present = FileManager.default.fileExists(atPath: signature)
    guard let check else {
      return .init(
        "signature", passed: true,
        present
          ? "\(signature) is there but was not checked (give --allowed-signers and --identity)"
          : "not signed, not checked")
    }
    guard present else {
      return .init(
        "signature", passed: false,
        "\(signature) is missing: the sign-off is not signed (--sign-key when it is written)")
    }
    do {
      let said = try SignOffSignature.verify(
        file: json, signature: signature, allowedSigners: check.allowedSigners,
        identity: check.identity, runner: check.runner, environment: check.environment)
      return .init("signature", passed: true, said)
    } catch {
      return .init("signature", passed: false, "\(error)")
    }
  }

  static func toolCheck(_ signOff: SignOff, _ toolVersion: String) -> Plan.Check {
    signOff.toolVersion == toolVersion
      ? .init("tool-version", passed: true, "written by cyrus-failover \(toolVersion), this one")
      : .init(
        "tool-version", passed: false,
        "written by cyrus-failover \(signOff.toolVersion), this is \(toolVersion): check it with "
          + "the version that wrote it, or sign off again with this one")
  }

  /// The verdict and exit status follow from the report's own counts, and the counts add up:
  /// a report edited by hand (without a signature to catch it) usually breaks one of these.
  static func countsCheck(_ signOff: SignOff) -> Plan.Check {
    let findings = signOff.findings
    var problems: [String] = []
    let recomputed = findings.verdict(signOff.policy.verdictPolicy)
    let unfinished = signOff.procedure.map { $0.outcome != "completed" } ?? false
    if signOff.verdict != recomputed && !(unfinished && signOff.verdict == .incomplete) {
      problems.append(
        "the verdict says \(signOff.verdict.rawValue), its counts say \(recomputed.rawValue)")
    }
    if signOff.exitStatus != ExitStatus(signOff.verdict).rawValue {
      problems.append(
        "exit status \(signOff.exitStatus) does not go with \(signOff.verdict.rawValue)")
    }
    let bySeverity = findings.severities.values.reduce(0, +)
    let byCode = findings.codes.values.reduce(0, +)
    if bySeverity != findings.total || byCode != findings.total {
      problems.append(
        "\(findings.total) findings, but \(bySeverity) by severity and \(byCode) by code")
    }
    let listed = findings.groups.reduce(0) { $0 + $1.findings.count }
    if listed != findings.listed || listed > findings.total
      || findings.groups.contains(where: { $0.findings.count > $0.total })
    {
      problems.append("\(findings.listed) findings listed, the groups hold \(listed)")
    }
    return problems.isEmpty
      ? .init(
        "counts", passed: true,
        "verdict \(signOff.verdict.rawValue) follows from \(findings.total) findings")
      : .init("counts", passed: false, problems.joined(separator: "; "))
  }

  /// A manifest named by the report is in its directory, reads to its trailer, and hashes to
  /// the recorded file SHA-256 and entries digest.
  func manifestCheck(_ manifest: SignOff.Manifest, _ role: String) -> Plan.Check {
    let name = "manifest.\(role)"
    guard !manifest.file.isEmpty, !manifest.file.contains("/"), manifest.file != "..",
      manifest.file != "."
    else {
      return .init(name, passed: false, "the manifest name \(manifest.file) is not a file name")
    }
    let file = directory + "/" + manifest.file
    guard FileManager.default.fileExists(atPath: file) else {
      return .init(name, passed: false, "\(file) is missing")
    }
    let fingerprint: ManifestFingerprint
    do {
      fingerprint = try ManifestFingerprint.read(path: file)
    } catch {
      return .init(name, passed: false, "\(error)")
    }
    var problems: [String] = []
    if manifest.formatVersion != Int(ManifestFile.formatVersion) {
      problems.append(
        "the sign-off records manifest format \(manifest.formatVersion), this tool reads "
          + "\(ManifestFile.formatVersion)")
    }
    if fingerprint.fileSHA256 != manifest.sha256 {
      problems.append(
        "its SHA-256 is \(fingerprint.fileSHA256), the sign-off records \(manifest.sha256)")
    }
    if fingerprint.entriesDigest != manifest.entriesDigest
      || fingerprint.entries != manifest.entries
    {
      problems.append(
        "its \(fingerprint.entries) entries digest to \(fingerprint.entriesDigest), the sign-off "
          + "records \(manifest.entries) entries, \(manifest.entriesDigest)")
    }
    guard problems.isEmpty else {
      return .init(
        name, passed: false,
        "\(file) changed after the sign-off: " + problems.joined(separator: "; "))
    }
    return .init(
      name, passed: true,
      "\(file): \(fingerprint.entries) entries, SHA-256 and entries digest as recorded")
  }
}

extension SignOff {
  /// The report as written: pretty, keys sorted, `/` not escaped.
  public func jsonBytes() throws -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return Array(try encoder.encode(self)) + [0x0A]
  }

  /// Reads `signoff.json`, checking its schema and version first.
  /// - Throws: ``SignOffError`` (`.unreadable`) saying what is wrong with it.
  public static func read(_ path: String) throws -> SignOff {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw SignOffError(.unreadable, "\(path): cannot read it (missing, or not a file)")
    }
    struct Head: Decodable {
      var schema: String?
      var version: Int?
    }
    let head: Head
    do {
      head = try JSONDecoder().decode(Head.self, from: data)
    } catch {
      throw SignOffError(
        .unreadable, "\(path): not JSON (cut short, or edited?): \(Self.reason(error))")
    }
    guard head.schema == schemaName else {
      throw SignOffError(
        .unreadable, "\(path): not a sign-off (schema \(head.schema ?? "missing"))")
    }
    guard head.version == schemaVersion else {
      throw SignOffError(
        .unreadable,
        "\(path): sign-off schema version \(head.version.map(String.init) ?? "missing"); this "
          + "cyrus-failover reads version \(schemaVersion)")
    }
    do {
      return try JSONDecoder().decode(SignOff.self, from: data)
    } catch {
      throw SignOffError(
        .unreadable, "\(path): does not read as a sign-off: \(Self.reason(error))")
    }
  }

  /// A decoding error in a few words: what was wrong, and where.
  static func reason(_ error: any Error) -> String {
    guard let error = error as? DecodingError else { return "\(error)" }
    func at(_ context: DecodingError.Context) -> String {
      let path = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      return (path.isEmpty ? "" : "at \(path.joined(separator: ".")): ")
        + context.debugDescription
    }
    switch error {
    case .dataCorrupted(let context): return at(context)
    case .keyNotFound(let key, let context): return at(context) + " (\(key.stringValue) missing)"
    case .typeMismatch(_, let context), .valueNotFound(_, let context): return at(context)
    @unknown default: return "\(error)"
    }
  }
}
