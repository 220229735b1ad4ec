import ArgumentParser
import CyrusStore
import Remote
import Verification

extension CyrusFailover {
  /// `verify`: compare a primary and its failover copy file by file.
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Compare a primary Cyrus instance with its failover or backup copy.",
      discussion: """
        PRIMARY and FAILOVER are each an imapd.conf, or a directory holding etc/imapd.conf \
        (then its paths are read under that directory, like a chroot). To verify a backup made \
        with `rsync -aR /var/lib/cyrus /var/spool/cyrus/mail /opt/backup-cyrus` against the live \
        instance: --primary /etc/imapd.conf --primary-root /opt/backup-cyrus --failover /etc/imapd.conf.
        Nothing on either side is written.
        """)

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

    @OptionGroup var report: ReportOptions

    @OptionGroup var jobs: HashJobsOption

    @OptionGroup var ssh: SSHOptions

    @OptionGroup var monitoring: MonitoringOptions

    func validate() throws {
      try monitoring.check(format: report.format)
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

    func run() throws {
      let options = WalkOptions(
        level: report.level.walkLevel, includeRuntime: report.includeRuntime,
        hashJobs: jobs.local)
      if let primary, let failover, try RemoteTarget.parse(primary) == nil,
        try RemoteTarget.parse(failover) == nil
      {
        let primaryInstance = try CyrusInstance.locate(primary, root: primaryRoot)
        let failoverInstance = try CyrusInstance.locate(failover, root: failoverRoot)
        for diagnostic in primaryInstance.conf.diagnostics + failoverInstance.conf.diagnostics {
          Console.err("cyrus-failover: warning: \(diagnostic)\n")
        }
        let verifier = Verifier(
          primary: primaryInstance, failover: failoverInstance, options: options)
        throw ExitCode(try report.run(verifier: verifier, monitor: monitor))
      }
      try runWithRemoteOrSaved(options)
    }
  }
}
