import BerkeleyDB
import CyrusFormats
import CyrusStore
import Foundation
import Processes
import Remote
import Testing

/// What the `read-berkeley-db` child really gets from `BerkeleyChildReader`, as the kernel
/// shows it, not as the `Invocation` value says: a stand-in program records its own
/// /proc/PID/environ, working directory and standard input, gains supplementary groups (as
/// root), then runs the real reader with the argv it was given, which puts its sandbox on
/// itself and reports its identity and limits (`report-sandbox`).
@Suite struct BerkeleyChildEnvironmentTests {
  /// What the stand-in and the real reader after it recorded.
  struct Report {
    /// The stand-in's environment, from /proc/PID/environ (what `execve` was given).
    var environment: [String: String]
    /// The stand-in's working directory.
    var workingDirectory: String
    /// Device and inode of the stand-in's standard input.
    var standardInput: String
    /// The stand-in's argv after argv[0].
    var arguments: [String]
    /// The supplementary groups the real reader had before its sandbox, as root.
    var groupsBefore: String
    /// The real reader's report, one line each (/proc/self/status and /proc/self/limits).
    var sandbox: Set<String>
  }

  /// Groups the stand-in gives the real reader as root (`adm`, `dialout` on Debian), for the
  /// sandbox to drop.
  static let extraGroups = "4,24"

  /// Reads `path` through a `BerkeleyChildReader` with its defaults but `executable`: a shell
  /// script that records what it got into `scratch`, then `exec`s the built tool.
  static func run(_ path: String, in scratch: Scratch) throws -> Report {
    let out = scratch.path + "/report"
    try scratch.mkdir("report")
    let privileged = geteuid() == 0
    // /proc/$$ is this shell's own: its environ is exactly what execve gave it.
    let record = """
      #!/bin/sh
      tr '\\000' '\\n' < /proc/$$/environ > '\(out)/environ'
      readlink /proc/$$/cwd > '\(out)/cwd'
      stat -L -c '%d %i' /proc/$$/fd/0 > '\(out)/stdin'
      for word in "$@"; do printf '%s\\n' "$word"; done > '\(out)/arguments'

      """
    let real =
      "/usr/bin/env CYRUS_FAILOVER_TEST_BERKELEY_READER=report-sandbox '\(Binary.tool)' \"$@\""
    let exec =
      privileged
      ? "exec /usr/bin/setpriv --groups \(extraGroups) -- /bin/sh -c "
        + "'grep ^Groups: /proc/self/status > \(out)/groups; exec \"$0\" \"$@\"' \(real)\n"
      : "exec \(real)\n"
    let program = try scratch.write("reader.sh", record + exec, mode: 0o755)
    let reader = BerkeleyChildReader(executable: program)
    let error = #expect(throws: CyrusDatabaseError.self) {
      try reader.read(path: path, kind: .berkeleyBtree) { _ in }
    }
    func lines(_ name: String) throws -> [String] {
      String(decoding: try scratch.read("report/" + name), as: UTF8.self)
        .split(separator: "\n").map(String.init)
    }
    var environment: [String: String] = [:]
    for line in try lines("environ") {
      let parts = line.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      environment[String(parts[0])] = parts.count == 2 ? String(parts[1]) : ""
    }
    return Report(
      environment: environment, workingDirectory: try lines("cwd").joined(),
      standardInput: try lines("stdin").joined(), arguments: try lines("arguments"),
      groupsBefore: privileged ? try lines("groups").joined() : "",
      // Standard error, with its newlines escaped (`Terminal.safe`).
      sandbox: Set((error?.reason ?? "").components(separatedBy: "\\x0a")))
  }

  @Test func childGetsTheMinimalEnvironmentRootDirectoryAndSandbox() throws {
    let scratch = try Scratch()
    let path = try BerkeleyDumpTests.make(.btree, with: .libdb, in: scratch)
    // Variables of this process the child must not see (HOME, the test runner's, a PATH with
    // the toolchain): without them the equality below would prove nothing.
    let parent = ProcessInfo.processInfo.environment
    let own = parent.filter { Invocation.minimalEnvironment[$0.key] != $0.value }
    try #require(!own.isEmpty, "the test process has only the minimal environment")
    let report = try Self.run(path, in: scratch)

    #expect(report.environment == Invocation.minimalEnvironment)
    for key in own.keys.sorted() where Invocation.minimalEnvironment[key] == nil {
      #expect(report.environment[key] == nil, "\(key) reached the child")
    }
    #expect(report.workingDirectory == "/")
    var file = stat()
    try #require(stat(path, &file) == 0)
    #expect(report.standardInput == "\(file.st_dev) \(file.st_ino)")
    #expect(
      report.arguments == [
        "read-berkeley-db", path, "--type", "btree", "--sandbox",
        BerkeleyChildReader.defaultSandbox().argument,
      ])

    // The kernel's view of the real reader once it entered its sandbox.
    let limits = [
      "Max core file size 0 0 bytes", "Max file size 0 0 bytes",
      "Max address space \(BerkeleyChildReader.addressSpaceBytes)"
        + " \(BerkeleyChildReader.addressSpaceBytes) bytes",
      "Max cpu time \(BerkeleyChildReader.cpuSeconds) \(BerkeleyChildReader.cpuSeconds + 5)"
        + " seconds",
    ]
    for line in limits + ["NoNewPrivs: 1"] {
      #expect(report.sandbox.contains(line), "\(line) in \(report.sandbox.sorted())")
    }
    guard geteuid() == 0 else {
      let uid = getuid()
      #expect(report.sandbox.contains("Uid: \(uid) \(uid) \(uid) \(uid)"))
      return
    }
    // It had groups to drop, and root's identity to leave.
    #expect(report.groupsBefore.split(whereSeparator: \.isWhitespace) == ["Groups:", "4", "24"])
    let nobody = try #require(getpwnam("nobody")).pointee
    let (uid, gid) = (nobody.pw_uid, nobody.pw_gid)
    try #require(uid != 0 && gid != 0)
    for line in ["Uid: \(uid) \(uid) \(uid) \(uid)", "Gid: \(gid) \(gid) \(gid) \(gid)", "Groups:"]
    {
      #expect(report.sandbox.contains(line), "\(line) in \(report.sandbox.sorted())")
    }
  }
}
