import Foundation
import TestSupport

/// A clean Debian 12 root, made by `mmdebstrap --variant=minbase` from a Debian mirror, removed
/// when the test lets go of it. Packages go in with apt inside the root (``install(_:)``), with
/// their Depends and nothing else: no Recommends.
///
/// Commands run in it through `chroot`, with a clean environment and its own `/proc` (the tool
/// runs itself through `/proc/self/exe`), mounted in a private mount namespace (`unshare`) that
/// disappears with the command, so no mount outlives it and removing the root is safe.
final class DebianRoot {
  /// Where the root is, under `.build-deb/test/` (never /tmp: it is 200 MB).
  let path: String

  /// The mirror (`CYRUS_FAILOVER_DEBIAN_MIRROR`, else deb.debian.org).
  static var mirror: String {
    ProcessInfo.processInfo.environment["CYRUS_FAILOVER_DEBIAN_MIRROR"]
      ?? "http://deb.debian.org/debian"
  }

  /// Bootstraps bookworm.
  init() throws {
    path = TestPrograms.repository + "/.build-deb/test/root-" + UUID().uuidString
    do {
      try TestPrograms.must([
        "mmdebstrap", "--variant=minbase", "--mode=root", "--quiet",
        "--aptopt=APT::Install-Recommends \"false\"",
        // Keep the package lists: apt-get installs into the root afterwards.
        "--skip=cleanup/apt/lists", "bookworm", path, Self.mirror,
      ])
    } catch {
      try? FileManager.default.removeItem(atPath: path)
      throw error
    }
  }

  /// Installs packages with apt-get inside the root: names, or `.deb` files on this host (copied
  /// in first; mmdebstrap's own --include of a local file fails in root mode, as apt hands dpkg
  /// a path outside the chroot).
  func install(_ packages: [String]) throws {
    var arguments = ["apt-get", "install", "--yes", "--quiet", "--no-install-recommends"]
    for package in packages {
      if package.hasSuffix(".deb") {
        let inside = "/tmp/" + (package as NSString).lastPathComponent
        try copy(package, to: inside)
        arguments.append(inside)
      } else {
        arguments.append(package)
      }
    }
    try must(arguments)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Runs `arguments` inside the root as root, in a clean environment plus `environment`.
  func run(_ arguments: [String], environment: [String: String] = [:]) throws
    -> TestPrograms.Result
  {
    var variables = [
      "PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "HOME": "/root", "LC_ALL": "C.UTF-8",
      "DEBIAN_FRONTEND": "noninteractive",
    ]
    variables.merge(environment) { $1 }
    let assignments = variables.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    return try TestPrograms.run(
      [
        "unshare", "--mount", "--propagation", "private", "--", "/bin/sh", "-c",
        "mount -t proc proc \"$0/proc\" && exec chroot \"$0\" /usr/bin/env -i \"$@\"", path,
      ] + assignments + arguments)
  }

  /// Runs a command that must exit 0.
  @discardableResult
  func must(_ arguments: [String], environment: [String: String] = [:]) throws
    -> TestPrograms.Result
  {
    let result = try run(arguments, environment: environment)
    guard result.status == 0 else {
      throw ProcessFailure(
        description:
          "in the root: \(arguments.joined(separator: " ")) exited \(result.status): "
          + result.stderr + result.stdout)
    }
    return result
  }

  /// Copies a host file into the root at `inside` (an absolute path there).
  func copy(_ host: String, to inside: String) throws {
    try TestPrograms.must(["cp", host, path + inside])
  }
}
