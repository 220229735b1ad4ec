import Foundation
import TestSupport
import Testing

/// The package installed into a clean Debian 12 root (minbase, its Depends, nothing else from
/// this repository but the example pair as data): it runs there, verifies the example pair, its
/// example service's commands work, its man page renders and its completions load.
@Suite struct CleanRootInstallTests {
  @Test func installsAndWorksInACleanDebianRoot() throws {
    let deb = try PackagedDeb.shared.get()
    let clock = ContinuousClock()
    let started = clock.now
    let root = try DebianRoot()
    print("clean Debian 12 root: \(started.duration(to: clock.now))")
    try root.install([deb.path])
    try checkInstalledWithDependsOnly(root, deb)
    try checkVerifiesTheExamplePair(root)
    try checkExampleServiceCommands(root, deb)
    try checkManPageAndCompletions(root)
    print("install test: \(started.duration(to: clock.now))")
  }

  /// Only Depends came along (no Recommends), and every library the binary needs is there.
  func checkInstalledWithDependsOnly(_ root: DebianRoot, _ deb: PackagedDeb) throws {
    let version = try root.must(["dpkg-query", "-W", "-f=${Version}", "cyrus-failover"]).stdout
    #expect(version == (try deb.field("Version")))
    let ssh = try root.run(["dpkg-query", "-W", "-f=${Status}", "openssh-client"])
    #expect(!ssh.stdout.contains("ok installed"), "a Recommends came along: \(ssh.stdout)")
    let ldd = try root.must(["ldd", "/usr/bin/cyrus-failover"]).stdout
    #expect(!ldd.contains("not found") && !ldd.contains("swift"), "\(ldd)")
    let printed = try root.must(["cyrus-failover", "--version"]).stdout
    let built = try TestPrograms.must([deb.file("usr/bin/cyrus-failover"), "--version"]).stdout
    #expect(printed == built && printed.contains("(commit "), "\(printed)")
  }

  /// The shipped pair differs (exit 1); a copy made with `cp -a` (hard links kept) is
  /// consistent, which the Nagios line says with exit 0.
  func checkVerifiesTheExamplePair(_ root: DebianRoot) throws {
    try root.copy(CorpusArchive.example, to: "/tmp/example.tar.gz")
    try root.must(["mkdir", "-p", "/srv/pair"])
    try root.must(["tar", "-xzpf", "/tmp/example.tar.gz", "-C", "/srv/pair", "--same-owner"])
    let verify = ["cyrus-failover", "verify", "--primary", "/srv/pair/primary", "--no-progress"]
    let shipped = try root.run(verify + ["--failover", "/srv/pair/failover"])
    #expect(shipped.status == 1, "\(shipped.stderr)")
    #expect(shipped.stdout.hasPrefix("cyrus-failover verify: DIFFERENCES FOUND"))
    #expect(shipped.stdout.contains("file.hardlink-mismatch"))
    try root.must(["cp", "-a", "/srv/pair/primary", "/srv/pair/copy"])
    let copy = try root.run(verify + ["--failover", "/srv/pair/copy", "--nagios"])
    #expect(copy.status == 0, "\(copy.stdout) \(copy.stderr)")
    #expect(copy.stdout.hasPrefix("CYRUS-FAILOVER OK - consistent"), "\(copy.stdout)")
  }

  /// The example service's ExecStartPre= and ExecStart= as systemd would run them (with the
  /// unit's own environment, the pair in place of the failover host, and the directories
  /// StateDirectory= makes): old reports pruned, a new report, `latest.txt`, the metrics file.
  func checkExampleServiceCommands(_ root: DebianRoot, _ deb: PackagedDeb) throws {
    let unit = try ServiceUnit(
      path: deb.file("usr/share/doc/cyrus-failover/examples/cyrus-failover-verify.service"))
    let reports = "/var/lib/cyrus-failover/reports"
    var environment = unit.environment
    #expect(environment["CYRUS_FAILOVER_OPTIONS"] == "--hash-jobs 2")
    environment["CYRUS_FAILOVER_PRIMARY"] = "/srv/pair/primary"
    environment["CYRUS_FAILOVER_FAILOVER"] = "/srv/pair/failover"
    let metrics = try #require(environment["CYRUS_FAILOVER_METRICS"])
    try root.must(["mkdir", "-p", reports, (metrics as NSString).deletingLastPathComponent])
    try root.must(["touch", "-d", "40 days ago", reports + "/verify-old.txt"])
    try root.must(["touch", reports + "/verify-recent.txt"])

    let pre = try #require(
      unit.values("ExecStartPre").first.flatMap {
        ServiceUnit.expand($0, stateDirectory: "/var/lib")
      })
    try root.must(pre.split(separator: " ").map(String.init))
    let start = try #require(
      unit.values("ExecStart").first.flatMap {
        ServiceUnit.shellScript($0, stateDirectory: "/var/lib")
      }, "ExecStart is not a /bin/sh -c '…' line with only %%, %S and $$ in it")
    let run = try root.run(["/bin/sh", "-c", start], environment: environment)
    #expect(run.status == 1, "the shipped pair differs: \(run.stderr)")

    let listed = try root.must(["ls", reports]).stdout.split(separator: "\n").map(String.init)
    #expect(!listed.contains("verify-old.txt") && listed.contains("verify-recent.txt"))
    let latest = try root.must(["readlink", reports + "/latest.txt"]).stdout
    let name = try Regex("verify-[0-9]{8}T[0-9]{6}Z\\.txt\n")
    #expect(latest.wholeMatch(of: name) != nil, "\(latest)")
    let report = try root.must(["cat", reports + "/latest.txt"]).stdout
    #expect(report.hasPrefix("cyrus-failover verify: DIFFERENCES FOUND"))
    let prom = try root.must(["cat", metrics]).stdout
    #expect(
      prom.contains(
        "cyrus_failover_exit_status{primary=\"/srv/pair/primary\",failover=\"/srv/pair/failover\"} 1"
      ), "\(prom)")
  }

  /// `man cyrus-failover` renders, and zsh and bash load the completions from where the
  /// package put them (man-db and zsh installed now, after the checks above).
  func checkManPageAndCompletions(_ root: DebianRoot) throws {
    try root.install(["man-db", "zsh"])
    let man = try root.must(
      ["man", "-P", "cat", "cyrus-failover"], environment: ["MANWIDTH": "80"])
    #expect(man.stdout.contains("\nEXIT STATUS\n") && man.stdout.contains("file.hardlink-mismatch"))
    #expect(man.stderr.isEmpty, "\(man.stderr)")
    let zsh = try root.must([
      "zsh", "-f", "-c",
      "autoload -U compinit && compinit -u -D && print -r -- ${_comps[cyrus-failover]}",
    ])
    #expect(zsh.stdout == "_cyrus-failover\n", "\(zsh.stdout) \(zsh.stderr)")
    let bash = try root.must([
      "bash", "-c",
      "source /usr/share/bash-completion/completions/cyrus-failover && complete -p cyrus-failover",
    ])
    #expect(bash.stdout.contains("-F _cyrus-failover cyrus-failover"), "\(bash.stdout)")
  }
}
