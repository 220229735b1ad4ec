import Foundation
import TestSupport
import Testing

/// The packaged example units, checked by systemd's own parser.
@Suite struct SystemdUnitTests {
  @Test func unitsVerifyCleanlyWithTheirManPage() throws {
    let deb = try PackagedDeb.shared.get()
    let examples = deb.file("usr/share/doc/cyrus-failover/examples")
    // `systemd-analyze verify` loads the units into a private manager (no running systemd
    // needed), checks every key, the programs the Exec lines name, and the Documentation= man
    // page, which MANPATH points at in the package. Unknown or invalid settings are warnings on
    // standard error with exit status 0, so an empty standard error is the real check.
    let result = try TestPrograms.run([
      "env", "MANPATH=" + deb.file("usr/share/man"), "SYSTEMD_LOG_COLOR=0",
      "systemd-analyze", "verify", examples + "/cyrus-failover-verify.service",
      examples + "/cyrus-failover-verify.timer",
    ])
    #expect(result.status == 0 && result.stderr.isEmpty, "\(result.stderr)")
  }

  @Test func systemdAnalyzeReportsABrokenUnit() throws {
    // The check above can fail: a unit with a bad key and a missing man page is reported.
    let deb = try PackagedDeb.shared.get()
    let directory = try TemporaryDirectory(prefix: "cyrus-failover-units")
    var text = try String(
      contentsOfFile: deb.file(
        "usr/share/doc/cyrus-failover/examples/cyrus-failover-verify.service"),
      encoding: .utf8)
    text = text.replacingOccurrences(of: "Nice=19", with: "Nice=19\nNiceness=19")
    let unit = directory.path + "/cyrus-failover-verify.service"
    try text.write(toFile: unit, atomically: true, encoding: .utf8)
    let result = try TestPrograms.run([
      "env", "MANPATH=" + directory.path, "systemd-analyze", "verify", unit,
    ])
    #expect(result.stderr.contains("Unknown key 'Niceness'"), "\(result.stderr)")
    #expect(result.stderr.contains("man cyrus-failover(1)"), "\(result.stderr)")
  }

  @Test func timerIsNightlyAndServiceKeepsOutOfCyrusWay() throws {
    let deb = try PackagedDeb.shared.get()
    let examples = deb.file("usr/share/doc/cyrus-failover/examples")
    let timer = try ServiceUnit(path: examples + "/cyrus-failover-verify.timer")
    #expect(timer.values("OnCalendar") == ["*-*-* 03:15:00"])
    #expect(timer.values("WantedBy") == ["timers.target"])
    let service = try ServiceUnit(path: examples + "/cyrus-failover-verify.service")
    for (key, value) in [
      ("Nice", "19"), ("IOSchedulingClass", "idle"), ("ProtectSystem", "strict"),
      ("NoNewPrivileges", "yes"), ("PrivateTmp", "yes"),
      ("StateDirectory", "cyrus-failover cyrus-failover/reports"),
    ] {
      #expect(service.values(key) == [value], "\(key)")
    }
    #expect(service.values("ReadOnlyPaths").first?.contains("-/var/spool/cyrus") == true)
  }
}
