import CyrusStore
import Foundation
import Processes
import Remote

extension SyncProcedure {
  /// Finds both sides: reads the source's imapd.conf here, probes each host (the destination's
  /// over SSH with `cyrus-failover probe`), asks each status command. Reads only.
  static func inspect(_ request: ProcedureRequest) throws -> (ProcedureSide, ProcedureSide) {
    let roles = request.kind.roles
    guard case .local(let sourcePath, let sourceRoot) = request.source else {
      throw ProcedureError(
        .refused,
        "the \(roles.source) must be on this host (run cyrus-failover on the \(roles.source), "
          + "as the seed runs rsync there)")
    }
    let localHost = CommandHost(place: .local, ssh: nil, environment: request.environment)
    let source = try localSide(
      roles.source, path: sourcePath, root: sourceRoot, specification: request.source,
      overrides: request.sourceService, request: request, host: localHost)
    let destination: ProcedureSide
    switch request.destination {
    case .local(let path, let root):
      destination = try localSide(
        roles.destination, path: path, root: root, specification: request.destination,
        overrides: request.destinationService, request: request, host: localHost)
    case .remote(let target, let root):
      guard let ssh = request.ssh else {
        throw ProcedureError(.probe, "\(target): a remote side needs SSH settings")
      }
      let host = CommandHost(
        place: .remote(target.destination), ssh: ssh, environment: request.environment)
      let probe = try remoteProbe(target, root: root, host: host, request: request)
      let service = ServiceCommands.resolve(
        found: ServiceCommands.found(in: probe.service), stop: request.destinationService.stop,
        start: request.destinationService.start, status: request.destinationService.status)
      destination = ProcedureSide(
        role: roles.destination, place: host.place, instance: nil,
        specification: request.destination, probe: probe, service: service,
        statusRunning: try (request.destinationService.status ?? service?.status).map {
          try status($0, host: host, runner: request.runner)
        })
    case .manifest:
      throw ProcedureError(.refused, "a saved manifest cannot be copied to")
    }
    return (source, destination)
  }

  static func localSide(
    _ role: String, path: String, root: String?, specification: SideSpecification,
    overrides: (stop: [String]?, start: [String]?, status: [String]?), request: ProcedureRequest,
    host: CommandHost
  ) throws -> ProcedureSide {
    let instance = try CyrusInstance.locate(path, root: root)
    let probe = HostProbe.collect(
      instance, toolVersion: request.toolVersion, usage: true, runner: request.runner,
      berkeley: request.berkeleyReader, searchPath: host.searchPath)
    // A backup directory has no Cyrus of its own; a live side's service is found or given. A
    // restore's target is never stopped (it must not run): its start and status suffice.
    let found = ServiceCommands.found(in: probe.service)
    let service =
      role == "backup"
      ? nil
      : ServiceCommands.resolve(
        found: found, stop: overrides.stop ?? (role == "target" ? found?.stop ?? [] : nil),
        start: overrides.start, status: overrides.status)
    return ProcedureSide(
      role: role, place: .local, instance: instance, specification: specification,
      probe: probe, service: service,
      // A status command given alone (the failover's) still says whether that Cyrus runs.
      statusRunning: try (role == "backup" ? nil : overrides.status ?? service?.status).map {
        try status($0, host: host, runner: request.runner)
      })
  }

  /// Whether the status command says Cyrus runs (exit 0; any other status: not running).
  static func status(_ service: ServiceCommands, host: CommandHost, runner: ProcessRunner) throws
    -> Bool
  {
    try status(service.status, host: host, runner: runner)
  }

  /// Whether the status command `argv` says Cyrus runs (exit 0).
  static func status(_ argv: [String], host: CommandHost, runner: ProcessRunner) throws -> Bool {
    let outcome = try runner.run(
      try host.invocation(argv, standardOutput: .discard), timeLimit: .seconds(60))
    if outcome.timedOut {
      throw ProcedureError(
        .probe, "`\(argv.joined(separator: " "))` on \(host.place) did not answer in 60 s")
    }
    return outcome.succeeded
  }

  /// `cyrus-failover probe` on another host, its JSON read back (``HostProbe/remote``).
  static func remoteProbe(
    _ target: RemoteTarget, root: String?, host: CommandHost, request: ProcedureRequest,
    usage: Bool = true
  ) throws -> HostProbe {
    try HostProbe.remote(
      target, root: root, host: host, remoteCommand: request.remoteCommand,
      toolVersion: request.toolVersion, usage: usage, runner: request.runner)
  }
}
