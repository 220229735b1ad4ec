import ArgumentParser
import CyrusStore
import Remote
import Verification

/// One instance on the command line: `--instance` (an imapd.conf or a root directory holding
/// one) and `--root`. Shared by the commands that work on one instance.
struct InstanceOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "The instance: an imapd.conf, or a root directory holding etc/imapd.conf.", valueName: "path")
  )
  var instance: String?

  @Option(
    help: ArgumentHelp(
      "Read every path of the instance's imapd.conf under this directory.", valueName: "dir"))
  var root: String?

  func validate() throws {
    if root != nil && instance == nil { throw ValidationError("--root applies to --instance") }
  }

  /// The instance, when one was given; its imapd.conf warnings go to standard error.
  func locate() throws -> CyrusInstance? {
    guard let instance else { return nil }
    let found = try CyrusInstance.locate(instance, root: root)
    for diagnostic in found.conf.diagnostics {
      Console.err("cyrus-failover: warning: \(Terminal.safe("\(diagnostic)"))\n")
    }
    return found
  }
}

/// The two sides of a comparison on the command line: each an instance (`--primary`,
/// `--failover`, with `--primary-root`, `--failover-root`) or a saved manifest
/// (`--primary-manifest`, `--failover-manifest`). Shared by verify and the commands built on it.
struct SidePairOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The primary: an imapd.conf or a root directory holding one, or [user@]host:PATH.",
      valueName: "path"))
  var primary: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "The failover copy: an imapd.conf, a root directory, or [user@]host:PATH.",
      valueName: "path"))
  var failover: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read every path of the primary's imapd.conf under this directory.", valueName: "dir"))
  var primaryRoot: String?

  @Option(
    name: .long,
    help: ArgumentHelp(
      "Read every path of the failover's imapd.conf under this directory.", valueName: "dir"))
  var failoverRoot: String?

  @Option(
    help: ArgumentHelp(
      "A manifest saved by `cyrus-failover manifest`, in place of --primary.", valueName: "file"))
  var primaryManifest: String?

  @Option(help: ArgumentHelp("A saved manifest in place of --failover.", valueName: "file"))
  var failoverManifest: String?

  func validate() throws {
    for (live, saved, root, role) in [
      (primary, primaryManifest, primaryRoot, "primary"),
      (failover, failoverManifest, failoverRoot, "failover"),
    ] {
      guard (live == nil) != (saved == nil) else {
        throw ValidationError("give either --\(role) or --\(role)-manifest (exactly one)")
      }
      if saved != nil && root != nil {
        throw ValidationError("--\(role)-root applies to --\(role), not to a manifest")
      }
    }
  }

  /// The two sides as the library takes them.
  func specifications() throws -> (primary: SideSpecification, failover: SideSpecification) {
    func side(_ live: String?, _ saved: String?, _ root: String?) throws -> SideSpecification {
      if let saved { return .manifest(path: saved) }
      guard let live else { preconditionFailure("validate() requires a side or a manifest") }
      return try SideSpecification.parse(live, root: root)
    }
    return (
      try side(primary, primaryManifest, primaryRoot),
      try side(failover, failoverManifest, failoverRoot)
    )
  }
}
