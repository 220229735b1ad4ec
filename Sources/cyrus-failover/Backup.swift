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

    @OptionGroup var service: PrimaryServiceOptions

    @OptionGroup var options: ProcedureOptions

    func run() throws {
      let environment = ToolEnvironment(verbose: options.ssh.verbose)
      // The backup is the primary's own imapd.conf with every path under DIR.
      var request = try options.request(
        .backup, source: .local(path: primary, root: primaryRoot),
        destination: .local(path: primary, root: to), environment: environment)
      request.sourceService = try service.commands()
      try options.run(request)
    }
  }
}
