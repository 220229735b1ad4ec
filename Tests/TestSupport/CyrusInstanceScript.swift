import Foundation

/// `scripts/cyrus-instance.py` and the programs around a live instance (rsync): the one place
/// the live-instance helpers start processes, through ``TestPrograms`` (which a shared runner
/// will replace).
public enum CyrusInstanceScript {
  /// The script in this repository.
  public static var path: String { TestPrograms.repository + "/scripts/cyrus-instance.py" }

  /// Whether this machine can run real instances: Debian's Cyrus 3.6 master and saslpasswd2,
  /// a `cyrus` user, and root (the areas are handed to cyrus:mail).
  public static var isUsable: Bool {
    FileManager.default.isExecutableFile(atPath: "/usr/sbin/cyrmaster")
      && FileManager.default.isExecutableFile(atPath: "/usr/sbin/saslpasswd2")
      && getpwnam("cyrus") != nil && geteuid() == 0
  }

  /// Runs `cyrus-instance.py ARGUMENTS` and returns its outcome, whatever the exit status.
  public static func run(_ arguments: [String], stdin: String? = nil) throws
    -> TestPrograms.Result
  {
    try TestPrograms.run(["python3", path] + arguments, stdin: stdin)
  }

  /// Runs it and throws unless it exits 0; returns its standard output.
  @discardableResult
  public static func must(_ arguments: [String], stdin: String? = nil) throws -> String {
    let result = try run(arguments, stdin: stdin)
    guard result.status == 0 else {
      throw ProcessFailure(
        description:
          "cyrus-instance.py \(arguments.joined(separator: " ")) exited \(result.status): "
          + result.stderr)
    }
    return result.stdout
  }

  /// Runs another program (`arguments[0]` a path or a name in /usr/bin or /bin) that must
  /// exit 0.
  public static func program(_ arguments: [String]) throws {
    try TestPrograms.must(arguments)
  }
}
