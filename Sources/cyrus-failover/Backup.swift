import ArgumentParser
import Failover
import Remote

extension CyrusFailover {
  /// `backup`: the seed's §4 backup into a directory, as a plan.
  struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Copy a primary into a backup directory the safe way, and verify it.",
      discussion: """
        The same two passes and stopped window as sync, into DIR: each area lands at DIR \
        followed by its configured path (as `rsync -aR /var/lib/cyrus … /opt/backup-cyrus` \
        does). Verify it later with --failover-root DIR, restore it with `restore --from DIR`.
        """)

    @Option(help: ArgumentHelp("The primary's imapd.conf (on this host).", valueName: "path"))
    var primary: String

    @Option(help: ArgumentHelp("Read the primary's paths under this directory.", valueName: "dir"))
    var primaryRoot: String?

    @Option(help: ArgumentHelp("The backup directory.", valueName: "dir"))
    var to: String

    @Option(
      help: ArgumentHelp("Stops the primary's Cyrus (default: its service).", valueName: "command"))
    var primaryStop: String?

    @Option(help: ArgumentHelp("Starts the primary's Cyrus.", valueName: "command"))
    var primaryStart: String?

    @Option(help: ArgumentHelp("Exits 0 while the primary's Cyrus runs.", valueName: "command"))
    var primaryStatus: String?

    @OptionGroup var options: ProcedureOptions

    func run() throws {
      let environment = ToolEnvironment(verbose: options.ssh.verbose)
      // The backup is the primary's own imapd.conf with every path under DIR.
      var request = try options.request(
        .backup, source: .local(path: primary, root: primaryRoot),
        destination: .local(path: primary, root: to), environment: environment)
      request.sourceService = (
        try ProcedureOptions.words(primaryStop, "primary-stop"),
        try ProcedureOptions.words(primaryStart, "primary-start"),
        try ProcedureOptions.words(primaryStatus, "primary-status")
      )
      try options.run(request)
    }
  }
}
