import ArgumentParser
import Failover
import Remote
import Verification

extension CyrusFailover {
  /// `promote`: start the failover's Cyrus (seed §8) on a sign-off it still matches.
  struct Promote: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Start the failover's Cyrus, only on a sign-off it still matches.",
      discussion: """
        Checks the sign-off (its signature with --allowed-signers, schema, tool version, \
        counts, its manifests' SHA-256 and entries digests), that its verdict is consistent, \
        that it names this failover (host, imapd.conf, areas), that the failover's Cyrus does \
        not run, and that the failover still matches the manifest the sign-off saved (a \
        metadata walk compared with it: no message file is read), then starts Cyrus with the \
        service found on the failover's host (or --failover-start) and waits until \
        --failover-status says it runs. Refuses otherwise, saying why; --force starts it \
        anyway. The refusal and the override are logged (standard error, and --log as JSON \
        lines). Without --execute it only says what it would do. Exit status: 0 started (or \
        would start), 2 refused or failed.
        """)

    @Option(
      help: ArgumentHelp(
        "The failover: its imapd.conf, a root directory, or [user@]host:PATH.", valueName: "path"))
    var failover: String

    @Option(help: ArgumentHelp("Read the failover's paths under this directory.", valueName: "dir"))
    var failoverRoot: String?

    @Option(
      help: ArgumentHelp(
        "The sign-off: signoff.json, or the directory holding it.", valueName: "file"))
    var signOff: String

    @Option(
      help: ArgumentHelp(
        "Check signoff.json.sig with ssh-keygen -Y verify against this ALLOWED SIGNERS file.",
        valueName: "file"))
    var allowedSigners: String?

    @Option(help: ArgumentHelp("The identity that must have signed.", valueName: "id"))
    var identity: String?

    @Option(
      help: ArgumentHelp(
        "Starts the failover's Cyrus (default: its service, found on its host).",
        valueName: "command"))
    var failoverStart: String?

    @Option(
      help: ArgumentHelp("Exits 0 while the failover's Cyrus runs.", valueName: "command"))
    var failoverStatus: String?

    @Flag(help: "Start the failover's Cyrus even when a check refuses (logged).")
    var force = false

    @Flag(help: "Start it. Without this only the checks run and nothing is started.")
    var execute = false

    @Option(
      help: ArgumentHelp("Also log the decision and commands as JSON lines.", valueName: "file"))
    var log: String?

    @Option(help: "Seconds Cyrus gets to start.")
    var startTimeout = 120

    @OptionGroup var ssh: SSHOptions

    func validate() throws {
      try VerifySignOff.validateSigners(allowedSigners, identity)
      guard startTimeout > 0 else { throw ValidationError("--start-timeout is positive") }
    }

    func run() throws {
      let environment = ToolEnvironment(verbose: ssh.verbose)
      let side = try SideSpecification.parse(failover, root: failoverRoot)
      var request = PromotionRequest(
        failover: side, signOff: signOff,
        ssh: side.isRemote ? try ssh.settings(environment) : nil,
        toolVersion: CyrusFailover.toolVersion, environment: environment.variables,
        runner: environment.runner, berkeleyReader: environment.berkeleyReader)
      request.signature = VerifySignOff.signatureCheck(
        allowedSigners, identity, environment: environment)
      request.start = try ProcedureOptions.words(failoverStart, "failover-start")
      request.status = try ProcedureOptions.words(failoverStatus, "failover-status")
      request.force = force
      request.startTimeout = startTimeout
      let promotion = try Promotion(request)
      let log = try ProcedureLog(path: log) { Console.err("cyrus-failover: \($0)\n") }
      promotion.record(log)
      let outcome = promotion.execute(log: log, execute: execute)
      Console.out(Self.text(promotion, outcome))
      throw ExitCode(outcome == .started || outcome == .wouldStart ? 0 : ExitStatus.error.rawValue)
    }

    /// The result for standard output: the outcome, every check, what changed.
    static func text(_ promotion: Promotion, _ outcome: Promotion.Outcome) -> String {
      var out = "cyrus-failover promote: "
      switch outcome {
      case .started: out += "STARTED: the failover's Cyrus runs"
      case .wouldStart: out += "WOULD START the failover's Cyrus (give --execute)"
      case .refused: out += "REFUSED: the failover's Cyrus was not started"
      case .failed: out += "FAILED: the failover's Cyrus did not start"
      }
      if !promotion.refusals.isEmpty && promotion.willStart {
        out += " (--force overrode a refusal)"
      }
      out += "\n"
      for check in promotion.checks {
        out += "  \(check.passed ? "ok    " : "REFUSE") \(check.name): \(check.detail)\n"
      }
      if let count = promotion.changeCount, count > 0 {
        out +=
          "changes since the sign-off (\(count)"
          + (count > promotion.changes.count ? ", the first \(promotion.changes.count)" : "")
          + "; primary = the sign-off's manifest, failover = now):\n"
        for finding in promotion.changes { out += "  " + FindingText.line(finding) + "\n" }
      }
      return Terminal.safe(out, keepNewlines: true)
    }
  }
}
