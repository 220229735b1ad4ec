import ArgumentParser
import Failover
import Remote
import Verification

/// `--sign-off DIR` and `--sign-key KEY`: shared by the commands that end in a sign-off
/// (`verify`, `sync`, `repair`).
struct SignOffOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Also write a sign-off into this directory: signoff.json, signoff.html and both sides' manifests.",
      valueName: "dir"))
  var signOff: String?

  @Option(
    help: ArgumentHelp(
      "Sign signoff.json with this SSH key (ssh-keygen -Y sign), giving signoff.json.sig.",
      valueName: "key"))
  var signKey: String?

  func validate() throws {
    if signKey != nil && signOff == nil {
      throw ValidationError("--sign-key signs a sign-off: give --sign-off DIR too")
    }
  }

  /// The writer for the directory given, if one was.
  func writer(_ environment: ToolEnvironment, ssh: SSHSettings?) -> SignOffWriter? {
    signOff.map {
      SignOffWriter(
        directory: $0, toolVersion: CyrusFailover.toolVersion, runner: environment.runner,
        environment: environment.variables, berkeleyReader: environment.berkeleyReader, ssh: ssh,
        signKey: signKey)
    }
  }

  /// Writes a sign-off with `write` and says what was written; exits 2 when it cannot be.
  static func writeOrExit(_ write: () throws -> SignOffWriter.Written) {
    do {
      report(try write())
    } catch {
      Console.err(
        "cyrus-failover: the sign-off could not be written: \(Terminal.safe("\(error)"))\n")
      Console.exit(ExitStatus.error.rawValue)
    }
  }

  /// Says on standard error what was written.
  static func report(_ written: SignOffWriter.Written) {
    let manifests = written.signOff.manifests
    Console.err(
      "cyrus-failover: sign-off (\(written.signOff.verdict.rawValue)) written: "
        + Terminal.safe(
          ([written.json, written.html] + [written.signature].compactMap { $0 })
            .joined(separator: ", "))
        + "; failover manifest \(manifests.failover.entries) entries, entries digest "
        + "\(manifests.failover.entriesDigest)\n")
  }
}
