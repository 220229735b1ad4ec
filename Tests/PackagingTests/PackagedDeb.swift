import Foundation
import TestSupport

/// The Debian package under test, built once per test process by `packaging/build-deb.sh`
/// (lintian included: a lintian warning fails the build) into `.build-deb/test/`, and unpacked
/// there for the checks that read its files. `CYRUS_FAILOVER_DEB` names a package built
/// beforehand instead.
///
/// Everything stays inside the repository's git-ignored `.build-deb/`, reused by the next run,
/// so no test leaves a package or a build behind in /tmp.
struct PackagedDeb: Sendable {
  /// The `.deb` file.
  let path: String
  /// The package's files, unpacked with `dpkg-deb -x` (`<unpacked>/usr/bin/cyrus-failover`).
  let unpacked: String

  /// The package, built on first use; the error if the build failed (each test reports it).
  static let shared = Result { try PackagedDeb.make() }

  /// The package's file at `relative` (e.g. `usr/bin/cyrus-failover`).
  func file(_ relative: String) -> String { unpacked + "/" + relative }

  /// The value of one control field (`Depends`).
  func field(_ name: String) throws -> String {
    try TestPrograms.must(["dpkg-deb", "--field", path, name]).stdout
      .trimmingCharacters(in: .whitespacesAndNewlines)
  }

  private static func make() throws -> PackagedDeb {
    let base = TestPrograms.repository + "/.build-deb/test"
    let deb: String
    if let given = ProcessInfo.processInfo.environment["CYRUS_FAILOVER_DEB"] {
      deb = given
    } else {
      // Packages of earlier commits would pile up here: one is enough.
      try? FileManager.default.removeItem(atPath: base + "/out")
      let built = try TestPrograms.must([
        TestPrograms.repository + "/packaging/build-deb.sh", "--output", base + "/out",
      ])
      guard let last = built.stdout.split(separator: "\n").last, last.hasSuffix(".deb") else {
        throw ProcessFailure(description: "build-deb.sh printed no .deb path: \(built.stdout)")
      }
      deb = String(last)
    }
    let unpacked = base + "/unpacked"
    try? FileManager.default.removeItem(atPath: unpacked)
    try FileManager.default.createDirectory(atPath: unpacked, withIntermediateDirectories: true)
    try TestPrograms.must(["dpkg-deb", "-x", deb, unpacked])
    return PackagedDeb(path: deb, unpacked: unpacked)
  }
}
