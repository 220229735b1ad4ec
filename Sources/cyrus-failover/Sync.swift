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

    @OptionGroup var pair: ProcedurePairOptions

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
      let request = try pair.request(options, environment: environment)
      try options.run(
        request, repairRounds: repair ? rounds : nil,
        signOff: signOff.writer(environment, ssh: request.ssh))
    }
  }
}
