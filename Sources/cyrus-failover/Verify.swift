import ArgumentParser
import CyrusStore
import Failover
import Foundation
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
        Nothing on either side is written. With --sign-off DIR the result is also recorded as \
        a sign-off (signoff.json, signoff.html, both sides' manifests) for verify-sign-off and \
        promote.
        """)

    @OptionGroup var sides: SidePairOptions

    @OptionGroup var report: ReportOptions

    @OptionGroup var jobs: HashJobsOption

    @OptionGroup var digestCache: CacheOptions

    @OptionGroup var ssh: SSHOptions

    @OptionGroup var monitoring: MonitoringOptions

    @Option(
      help: ArgumentHelp(
        "Tell lag from divergence by the primary's manifest saved in sync's stopped window: a "
          + "difference where the primary changed since is lag (information).", valueName: "file"))
    var sinceManifest: String?

    @Option(
      help: ArgumentHelp(
        "Tell lag from divergence without a manifest: verify, wait this many seconds, verify "
          + "again; what changed in between is lag.", valueName: "seconds"))
    var settle: Int?

    @OptionGroup(title: "Sign-off") var signOff: SignOffOptions

    func validate() throws {
      try monitoring.check(format: report.format)
      try digestCache.check(level: report.level)
      if signOff.signOff != nil && report.level == .incremental {
        throw ValidationError(
          "--sign-off does not rest on cached digests: use --level full (or meta, guid)")
      }
      if sinceManifest != nil && settle != nil {
        throw ValidationError("give --since-manifest or --settle, not both")
      }
      if let settle, settle < 0 { throw ValidationError("--settle is 0 or more seconds") }
      if (sinceManifest != nil || settle != nil) && sides.primary == nil {
        throw ValidationError("--since-manifest and --settle compare with a live --primary")
      }
      if signOff.signOff != nil && sides.failoverManifest != nil {
        throw ValidationError(
          "--sign-off records the failover itself (its manifest is saved now): give --failover")
      }
    }

    func run() throws {
      let environment = ToolEnvironment(verbose: ssh.verbose)
      let (primary, failover) = try sides.specifications()
      var walk = WalkOptions(
        level: report.level.walkLevel, includeRuntime: report.includeRuntime,
        hashJobs: jobs.local, berkeleyReader: environment.berkeleyReader)
      walk.cache = digestCache.settings(level: report.level)
      let settings = VerifySettings(
        walk: walk,
        remoteHashJobs: jobs.remote,
        ssh: primary.isRemote || failover.isRemote ? try ssh.settings(environment) : nil,
        toolVersion: CyrusFailover.toolVersion, runner: environment.runner,
        detailLimit: report.maxDetail, policy: report.policy)
      var classifier: ChangeClassifier?
      if let sinceManifest {
        classifier = try ChangeClassifier(
          primary: primary, manifest: sinceManifest, settings: settings)
      } else if let settle {
        let first = try VerifySession(primary: primary, failover: failover, settings: settings)
        let collector = ChangeClassifier.Collector()
        _ = try first.run(sink: collector)
        Console.err("cyrus-failover: verifying again in \(settle) s to tell lag from divergence\n")
        sleep(UInt32(settle))
        classifier = ChangeClassifier(firstRun: collector.findings)
      }
      let session = try VerifySession(primary: primary, failover: failover, settings: settings)
      for (_, text) in session.diagnostics {
        Console.err("cyrus-failover: warning: \(Terminal.safe(text))\n")
      }
      let (status, result) = try report.run(
        session, monitor: monitor, classify: classifier?.classify)
      if let writer = signOff.writer(environment, ssh: settings.ssh) {
        SignOffOptions.report(
          try writer.write(
            madeBy: "verify", verification: result, policy: report.policy,
            level: report.level.walkLevel, procedure: nil,
            primary: .init(role: "primary", specification: primary, manifest: .save),
            failover: .init(role: "failover", specification: failover, manifest: .save)))
      }
      if ssh.stats {
        for (side, statistics) in session.statistics {
          SSHOptions.printStatistics(side.rawValue, statistics)
        }
        for (side, statistics) in session.cacheStatistics {
          CacheOptions.printStatistics(side.rawValue, statistics)
        }
        if let statistics = session.sameHostStatistics {
          Console.err(
            "cyrus-failover: both sides on this host: \(statistics.filesCompared) pairs of files "
              + "compared byte for byte (\(statistics.filesDiffering) differed), "
              + "\(statistics.bytesCompared) bytes found the same, \(statistics.filesHashed) files "
              + "hashed, \(statistics.takenOutOfTurn) entries taken out of turn\n")
        }
      }
      throw ExitCode(status)
    }
  }
}
