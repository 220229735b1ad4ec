import Foundation

/// A real Cyrus 3.6 instance for one test: its own root (laid out like a Debian host), ports
/// on 127.0.0.1 and master, made and driven by `scripts/cyrus-instance.py`. Unlike
/// `CyrusStore.CyrusInstance` (an instance's files), this one serves IMAP, LMTP and
/// ManageSieve while started.
///
/// Master is always stopped when the value goes away (`deinit`), also when a test throws or an
/// expectation fails; and if the test process dies first, a watcher the script left behind
/// stops it. The system's own Cyrus (/etc/imapd.conf, /var/lib/cyrus) is never used: every
/// service of the instance runs with `-C ROOT/etc/imapd.conf`.
public final class LiveCyrusInstance {
  /// The root (absolute, symlinks resolved).
  public let root: String
  /// ROOT/instance.json as the script wrote it.
  public let info: Info
  /// The temporary directory holding the root, when this value made it (removed after master
  /// is stopped).
  private let directory: TemporaryDirectory?

  /// The users the script creates unless told otherwise (each with an INBOX).
  public static let defaultUsers = ["anna", "bert", "carla"]

  /// ROOT/instance.json.
  public struct Info: Decodable, Sendable {
    /// `cyrus-3.6`, or `cyrus-2.2-generated` for a `create-22` root (no server).
    public var kind: String
    public var root: String
    /// `imap`, `lmtp`, `sieve` → port on 127.0.0.1.
    public var ports: [String: Int]
    public var admin: String
    public var users: [String]
    public var password: String
    /// The data areas by role (`config`, `partition-default`, `sieve`): what a sync copies.
    public var areas: [String: String]
  }

  /// Creates a new instance named `name` in a fresh temporary directory (or in `directory`),
  /// with `users` (each given an INBOX) and free ports. It is stopped.
  public static func create(
    named name: String = "primary", users: [String] = defaultUsers,
    in directory: String? = nil
  ) throws -> LiveCyrusInstance {
    // Never skipped: a machine without Cyrus fails here, saying what is missing.
    guard CyrusInstanceScript.isUsable else {
      throw ProcessFailure(
        description:
          "real Cyrus 3.6 instances need root, a cyrus user, /usr/sbin/cyrmaster and "
          + "/usr/sbin/saslpasswd2 (scripts/setup.sh installs cyrus-imapd and sasl2-bin)")
    }
    let owned = directory == nil ? try TemporaryDirectory(prefix: "cyrus-live") : nil
    let root = (directory ?? owned?.path ?? "") + "/" + name
    try CyrusInstanceScript.must(["create", root, "--users", users.joined(separator: ",")])
    return try LiveCyrusInstance(root: root, directory: owned)
  }

  /// A root made elsewhere (by `create` or `create-22`, and perhaps filled by a copy since):
  /// what its instance.json says. Stopped when this value goes away, like one made here.
  public convenience init(root: String) throws {
    try self.init(root: root, directory: nil)
  }

  private init(root: String, directory: TemporaryDirectory?) throws {
    self.directory = directory
    let resolved = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
    self.root = resolved
    guard let data = FileManager.default.contents(atPath: resolved + "/instance.json") else {
      throw ProcessFailure(description: "\(resolved): no instance.json")
    }
    info = try JSONDecoder().decode(Info.self, from: data)
  }

  deinit {
    // Ask the script only when something may run: most tests stop their instances themselves.
    guard FileManager.default.fileExists(atPath: pidfile) || !processes().isEmpty else { return }
    _ = try? CyrusInstanceScript.run(["stop", root, "--retry", "TERM/10/KILL/5"])
  }

  /// ROOT/etc/imapd.conf, for `cyrus-failover verify --primary` and Cyrus's tools (`-C`).
  public var configFile: String { root + "/etc/imapd.conf" }
  /// Master's pidfile.
  public var pidfile: String { root + "/run/cyrus-master.pid" }
  public var users: [String] { info.users }
  public var admin: String { info.admin }
  public var imapPort: Int { info.ports["imap"] ?? 0 }
  public var lmtpPort: Int { info.ports["lmtp"] ?? 0 }

  /// The data areas' paths by role, in a fixed order.
  public var dataAreas: [(role: String, path: String)] {
    info.areas.keys.sorted().compactMap { role in info.areas[role].map { (role, $0) } }
  }

  /// Starts master and waits until IMAP, LMTP and ManageSieve answer on its own sockets; the
  /// script's watcher stops it if this test process dies first.
  public func start(timeout: Double = 60) throws {
    try CyrusInstanceScript.must([
      "start", root, "--timeout", String(timeout), "--stop-with", String(getpid()),
    ])
  }

  /// Stops master and waits until no process of the instance is left (signals and seconds
  /// as start-stop-daemon's `--retry`).
  public func stop(retry: String = "QUIT/30/TERM/10/KILL/5") throws {
    try CyrusInstanceScript.must(["stop", root, "--retry", retry])
  }

  /// `status`: LSB's codes.
  public func status() throws -> ServiceStatus {
    let result = try CyrusInstanceScript.run(["status", root])
    guard let status = ServiceStatus(rawValue: result.status) else {
      throw ProcessFailure(description: "status \(root) exited \(result.status): \(result.stderr)")
    }
    return status
  }

  /// Master's pid while it runs.
  public func masterPID() throws -> pid_t? {
    let result = try CyrusInstanceScript.run(["pid", root])
    return result.status == 0
      ? pid_t(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
      : nil
  }

  /// The outcome of `status`, as an LSB init script reports it.
  public enum ServiceStatus: Int32, Sendable {
    case running = 0
    /// Master is not running, but its pidfile or processes of the instance are left.
    case leftovers = 1
    case stopped = 3
  }
}
