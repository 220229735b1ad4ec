import ArgumentParser
import Failover
import Remote

/// The service commands of a primary a procedure stops and starts (`sync`, `backup`,
/// `repair`); each found on the host when not given.
struct PrimaryServiceOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp("Stops the primary's Cyrus (default: its service).", valueName: "command"))
  var primaryStop: String?

  @Option(help: ArgumentHelp("Starts the primary's Cyrus.", valueName: "command"))
  var primaryStart: String?

  @Option(help: ArgumentHelp("Exits 0 while the primary's Cyrus runs.", valueName: "command"))
  var primaryStatus: String?

  /// The commands given, split into words.
  func commands() throws -> (stop: [String]?, start: [String]?, status: [String]?) {
    (
      try ProcedureOptions.words(primaryStop, "primary-stop"),
      try ProcedureOptions.words(primaryStart, "primary-start"),
      try ProcedureOptions.words(primaryStatus, "primary-status")
    )
  }
}

/// The pair `sync` and `repair` work on: the primary on this host, the failover here or over
/// SSH, and the commands that stop, start and ask after their Cyrus.
struct ProcedurePairOptions: ParsableArguments {
  @Option(help: ArgumentHelp("The primary's imapd.conf (on this host).", valueName: "path"))
  var primary: String

  @Option(help: ArgumentHelp("Read the primary's paths under this directory.", valueName: "dir"))
  var primaryRoot: String?

  @Option(
    help: ArgumentHelp(
      "The failover: its imapd.conf, a root directory, or [user@]host:PATH.", valueName: "path"))
  var failover: String

  @Option(help: ArgumentHelp("Read the failover's paths under this directory.", valueName: "dir"))
  var failoverRoot: String?

  @OptionGroup var service: PrimaryServiceOptions

  @Option(help: ArgumentHelp("Exits 0 while the failover's Cyrus runs.", valueName: "command"))
  var failoverStatus: String?

  /// The request of a procedure from the primary to the failover, with the service commands.
  func request(_ options: ProcedureOptions, environment: ToolEnvironment) throws
    -> ProcedureRequest
  {
    var request = try options.request(
      .sync, source: .local(path: primary, root: primaryRoot),
      destination: try SideSpecification.parse(failover, root: failoverRoot),
      environment: environment)
    request.sourceService = try service.commands()
    request.destinationService = (
      nil, nil, try ProcedureOptions.words(failoverStatus, "failover-status")
    )
    return request
  }
}
