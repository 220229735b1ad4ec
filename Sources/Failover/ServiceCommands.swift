/// How Cyrus is stopped, started and asked whether it runs on one host: found from its service
/// manager (the systemd unit `cyrus-imapd`, or an init script of Debian or UCS:
/// `cyrus-imapd`, `cyrus2.2`, `cyrus22`, `cyrus21`), or given on the command line
/// (`--primary-stop`, …) for anything else. Each is an argv; the status command follows the LSB
/// convention (exit 0: running; 3: stopped).
public struct ServiceCommands: Sendable, Codable, Equatable {
  /// Stops Cyrus.
  public var stop: [String]
  /// Starts Cyrus.
  public var start: [String]
  /// Exits 0 while Cyrus runs.
  public var status: [String]

  /// Makes commands.
  public init(stop: [String], start: [String], status: [String]) {
    self.stop = stop
    self.start = start
    self.status = status
  }

  /// The commands of the service the probe found; nil when it found none.
  public static func found(in service: HostProbe.ServiceFacts) -> ServiceCommands? {
    guard let unit = service.unit else { return nil }
    switch service.manager {
    case "systemd":
      return ServiceCommands(
        stop: ["systemctl", "stop", unit], start: ["systemctl", "start", unit],
        status: ["systemctl", "is-active", "--quiet", unit])
    case "sysv":
      return ServiceCommands(
        stop: [unit, "stop"], start: [unit, "start"], status: [unit, "status"])
    default:
      return nil
    }
  }

  /// The found commands with any of the three given instead.
  public static func resolve(
    found: ServiceCommands?, stop: [String]?, start: [String]?, status: [String]?
  ) -> ServiceCommands? {
    guard let stop = stop ?? found?.stop, let start = start ?? found?.start,
      let status = status ?? found?.status
    else { return nil }
    return ServiceCommands(stop: stop, start: start, status: status)
  }
}
