import ArgumentParser
import Failover
import Remote

extension CyrusFailover {
  /// `sync`: the seed's procedure for a failover, as a plan the tool carries out.
  struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy a primary to its failover the safe way, and verify the copy.",
      discussion: """
        Runs on the primary. Without --execute it prints the plan (every command in order, \
        with its host) and changes nothing. With --execute: checks both sides (the failover's \
        Cyrus must not run), copies every area with rsync while the primary serves, stops \
        the primary, writes mailboxlist.txt, copies again and saves the primary's manifest, \
        starts the primary (always: also after a failure, a signal, or by a watchdog if this \
        process is killed), imports the mailbox list on the failover when the Cyrus versions \
        differ, and verifies the failover against the manifest. The failover's Cyrus stays \
        stopped. With --sign-off DIR the run ends in a sign-off (signoff.json, signoff.html, \
        both manifests) that `promote` starts the failover on. Exit status: 0 consistent, \
        1 differences, 2 refused or failed (or the sign-off could not be written).
        """)

    @Option(
      help: ArgumentHelp("The primary's imapd.conf (on this host).", valueName: "path"))
    var primary: String

    @Option(help: ArgumentHelp("Read the primary's paths under this directory.", valueName: "dir"))
    var primaryRoot: String?

    @Option(
      help: ArgumentHelp(
        "The failover: its imapd.conf, a root directory, or [user@]host:PATH.", valueName: "path"))
    var failover: String

    @Option(help: ArgumentHelp("Read the failover's paths under this directory.", valueName: "dir"))
    var failoverRoot: String?

    @Option(
      help: ArgumentHelp("Stops the primary's Cyrus (default: its service).", valueName: "command"))
    var primaryStop: String?

    @Option(help: ArgumentHelp("Starts the primary's Cyrus.", valueName: "command"))
    var primaryStart: String?

    @Option(help: ArgumentHelp("Exits 0 while the primary's Cyrus runs.", valueName: "command"))
    var primaryStatus: String?

    @Option(help: ArgumentHelp("Exits 0 while the failover's Cyrus runs.", valueName: "command"))
    var failoverStatus: String?

    @Flag(help: "When the copy verifies with differences, repair exactly those (see `repair`).")
    var repair = false

    @Option(help: "Repair rounds at most (with --repair).")
    var rounds = 3

    @OptionGroup var options: ProcedureOptions

    @OptionGroup(title: "Sign-off") var signOff: SignOffOptions

    func validate() throws {
      if signOff.signOff != nil && !options.execute {
        throw ValidationError("--sign-off records what a run did: give --execute too")
      }
    }

    func run() throws {
      let environment = ToolEnvironment(verbose: options.ssh.verbose)
      var request = try options.request(
        .sync, source: .local(path: primary, root: primaryRoot),
        destination: try SideSpecification.parse(failover, root: failoverRoot),
        environment: environment)
      request.sourceService = (
        try ProcedureOptions.words(primaryStop, "primary-stop"),
        try ProcedureOptions.words(primaryStart, "primary-start"),
        try ProcedureOptions.words(primaryStatus, "primary-status")
      )
      request.destinationService = (
        nil, nil, try ProcedureOptions.words(failoverStatus, "failover-status")
      )
      try options.run(
        request, repairRounds: repair ? rounds : nil,
        signOff: signOff.writer(environment, ssh: request.ssh))
    }
  }
}
