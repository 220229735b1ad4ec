import ArgumentParser
import Failover
import Remote

extension CyrusFailover {
  /// `restore`: the seed's §7, as a plan.
  struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy a backup directory back into an instance whose Cyrus is stopped.",
      discussion: """
        Refuses while the target's Cyrus runs. Copies every area from DIR (as `backup` or \
        `rsync -aR` left it) to the target's paths, imports the mailbox list when the backup's \
        Cyrus version differs from the target's, verifies the target against the backup \
        (every file's content), and starts the target's Cyrus only with --start.
        """)

    @Option(help: ArgumentHelp("The backup directory.", valueName: "dir"))
    var from: String

    @Option(
      help: ArgumentHelp(
        "The imapd.conf naming the backup's paths (default: the target's).", valueName: "path"))
    var fromConfig: String?

    @Option(help: ArgumentHelp("The target's imapd.conf, or [user@]host:PATH.", valueName: "path"))
    var to: String

    @Option(help: ArgumentHelp("Read the target's paths under this directory.", valueName: "dir"))
    var toRoot: String?

    @Flag(help: "Start the target's Cyrus when the restore verified.")
    var start = false

    @Option(
      help: ArgumentHelp("Starts the target's Cyrus (default: its service).", valueName: "command"))
    var targetStart: String?

    @Option(help: ArgumentHelp("Exits 0 while the target's Cyrus runs.", valueName: "command"))
    var targetStatus: String?

    @OptionGroup var options: ProcedureOptions

    func run() throws {
      let environment = ToolEnvironment(verbose: options.ssh.verbose)
      let destination = try SideSpecification.parse(to, root: toRoot)
      guard case .local(let targetConfig, _) = destination else {
        throw ValidationError("restore copies on this host: give the target's local imapd.conf")
      }
      var request = try options.request(
        .restore, source: .local(path: fromConfig ?? targetConfig, root: from),
        destination: destination, environment: environment)
      request.destinationService = (
        nil, try ProcedureOptions.words(targetStart, "target-start"),
        try ProcedureOptions.words(targetStatus, "target-status")
      )
      request.startDestination = start
      try options.run(request)
    }
  }
}
