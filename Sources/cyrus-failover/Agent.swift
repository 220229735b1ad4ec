import ArgumentParser
import Remote
import Verification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension CyrusFailover {
  /// `agent`: the remote half of the protocol on standard input/output. Started by `verify`
  /// and `manifest` over ssh; not for humans, hidden from help.
  struct Agent: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Serve one verification session over standard input/output (started over ssh).",
      shouldDisplay: false)

    @Option(
      help: ArgumentHelp(
        "Serve only this instance (for a forced command in authorized_keys).", valueName: "path"))
    var instance: String?

    @Option(
      help: ArgumentHelp(
        "Threads reading and hashing file contents when the local side leaves it to this host, and the most it may ask for.",
        valueName: "n"))
    var hashJobs: Int?

    @Option(
      help: ArgumentHelp(
        "Digest cache directory on this host for --level incremental (used whatever the local side asks for; a pinned agent keeps none without it).",
        valueName: "dir"))
    var cache: String?

    @Option(help: .hidden)
    var testProtocolVersion: UInt16?

    func validate() throws {
      try HashJobsOption.check(hashJobs)
    }

    @Option(help: .hidden)
    var testPauseAfterSegments: Int?

    func run() throws {
      guard isatty(0) == 0 else {
        Console.err(
          "cyrus-failover agent: this command is started by `cyrus-failover verify` over ssh, not by hand\n"
        )
        throw ExitCode(ExitStatus.error.rawValue)
      }
      var agent = Remote.Agent(
        toolVersion: CyrusFailover.toolVersion, pinned: instance,
        berkeleyReader: ToolEnvironment(verbose: false).berkeleyReader)
      agent.protocolVersion = testProtocolVersion ?? agent.protocolVersion
      agent.pauseAfterSegments = testPauseAfterSegments
      agent.hashJobs = hashJobs
      agent.cacheDirectory = cache
      do {
        try agent.serve(ByteChannel(input: 0, output: 1))
      } catch {
        Console.err("cyrus-failover agent: \(Terminal.safe("\(error)"))\n")
        throw ExitCode(ExitStatus.error.rawValue)
      }
    }
  }
}

extension CyrusFailover {
  /// The version sent in the agent handshake and written into saved manifests.
  static var toolVersion: String { BuildInfo.version }
}
