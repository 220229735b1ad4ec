import ArgumentParser
import Failover
import Verification

extension CyrusFailover {
  /// `verify-sign-off`: check a sign-off's signature and the report itself.
  struct VerifySignOff: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "verify-sign-off",
      abstract: "Check a sign-off: its signature, the report, and the manifests it names.",
      discussion: """
        With --allowed-signers and --identity, signoff.json.sig must be a good signature of \
        signoff.json by that identity (ssh-keygen -Y verify, namespace \
        \(SignOffSignature.namespace)). Then the report must read (schema \
        \(SignOff.schemaName) version \(SignOff.schemaVersion)), be written by this version \
        of cyrus-failover, its verdict must follow from its counts, and each manifest it \
        names must be in its directory with the SHA-256 and entries digest it records. This \
        checks the sign-off, not the failover: promote compares the failover with it. Exit \
        status: 0 the sign-off is sound (whatever its verdict), 2 it is not.
        """)

    @Argument(help: ArgumentHelp("signoff.json, or the directory holding it.", valueName: "file"))
    var file: String

    @Option(
      help: ArgumentHelp(
        "ssh-keygen's ALLOWED SIGNERS file to check signoff.json.sig against.", valueName: "file"))
    var allowedSigners: String?

    @Option(help: ArgumentHelp("The identity that must have signed.", valueName: "id"))
    var identity: String?

    func validate() throws {
      try Self.validateSigners(allowedSigners, identity)
    }

    /// `--allowed-signers` and `--identity` go together.
    static func validateSigners(_ allowedSigners: String?, _ identity: String?) throws {
      guard (allowedSigners == nil) == (identity == nil) else {
        throw ValidationError(
          "--allowed-signers and --identity go together: the signature must be by that identity")
      }
    }

    /// The signature check of these options, if given.
    static func signatureCheck(
      _ allowedSigners: String?, _ identity: String?, environment: ToolEnvironment
    ) -> SignOffInspection.SignatureCheck? {
      guard let allowedSigners, let identity else { return nil }
      return SignOffInspection.SignatureCheck(
        allowedSigners: allowedSigners, identity: identity, runner: environment.runner,
        environment: environment.variables)
    }

    func run() throws {
      let environment = ToolEnvironment(verbose: false)
      let inspection = SignOffInspection.inspect(
        file, toolVersion: CyrusFailover.toolVersion,
        signature: Self.signatureCheck(allowedSigners, identity, environment: environment))
      var out = "cyrus-failover verify-sign-off: \(inspection.json): "
      out += inspection.passed ? "SOUND" : "NOT SOUND"
      if let signOff = inspection.signOff {
        out +=
          " (verdict \(signOff.verdict.rawValue), written by \(signOff.madeBy) at "
          + "\(signOff.created), failover \(signOff.failover.configFile) on "
          + "\(signOff.failover.host ?? "?"))"
      }
      out += "\n"
      for check in inspection.checks {
        out += "  \(check.passed ? "ok  " : "FAIL") \(check.name): \(check.detail)\n"
      }
      Console.out(Terminal.safe(out, keepNewlines: true))
      throw ExitCode(inspection.passed ? 0 : ExitStatus.error.rawValue)
    }
  }
}
