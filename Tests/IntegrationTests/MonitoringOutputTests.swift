import Foundation
import TestSupport
import Testing
import Verification

/// `verify --nagios` and `--metrics` on the real-Cyrus pair, against each exit status: the
/// plugin line and state, and the metrics file (read by a strict parser), with and without
/// `--nagios` (the metrics are the same; only the exit status convention differs).
@Suite(.serialized) struct MonitoringOutputTests {
  /// One run with `--nagios --metrics` and one with `--metrics` only.
  struct Outcome {
    var nagiosStatus: Int32
    var line: String
    var plainStatus: Int32
    var metrics: PrometheusText
  }

  func run(primary: String, failover: String) throws -> Outcome {
    let directory = try TemporaryDirectory(prefix: "cyrus-failover-metrics")
    let file = directory.path + "/cyrus-failover.prom"
    let arguments = [
      Tool.executable, "verify", "--primary", primary, "--failover", failover, "--no-progress",
      "--metrics", file,
    ]
    let before = Date().timeIntervalSince1970
    let nagios = try Tool.run(arguments + ["--nagios"])
    let nagiosMetrics = try PrometheusText(String(contentsOfFile: file, encoding: .utf8))
    let plain = try Tool.run(arguments)
    let metrics = try PrometheusText(String(contentsOfFile: file, encoding: .utf8))
    // The same facts either way; only the time and the duration move.
    let moving: Set<String> = [
      "cyrus_failover_last_run_timestamp_seconds", "cyrus_failover_duration_seconds",
    ]
    #expect(
      nagiosMetrics.samples.filter { !moving.contains($0.name) }
        == metrics.samples.filter { !moving.contains($0.name) })
    let ended = try #require(metrics.value("cyrus_failover_last_run_timestamp_seconds"))
    #expect(ended >= before - 1 && ended <= Date().timeIntervalSince1970 + 1)
    #expect((metrics.value("cyrus_failover_duration_seconds") ?? -1) >= 0)
    // Written atomically: nothing but the file is left in its directory.
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: directory.path) == [
        "cyrus-failover.prom"
      ])
    let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
    #expect(mode == 0o644)
    #expect(nagios.stdout.split(separator: "\n").count == 1, "\(nagios.stdout)")
    return Outcome(
      nagiosStatus: nagios.status, line: nagios.stdout, plainStatus: plain.status,
      metrics: metrics)
  }

  /// The verdict gauge: 1 for `verdict`, 0 for the other three.
  func expectVerdict(_ metrics: PrometheusText, _ verdict: String) {
    for candidate in ["consistent", "differences", "incomplete", "error"] {
      #expect(
        metrics.value("cyrus_failover_verdict", ["verdict": candidate])
          == (candidate == verdict
            ? 1 : 0),
        "verdict \(candidate)")
    }
  }

  @Test func consistentCopyIsOK() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let outcome = try run(primary: corpus.primary, failover: corpus.failover)
    #expect(outcome.nagiosStatus == 0 && outcome.plainStatus == 0)
    #expect(
      outcome.line.hasPrefix(
        "CYRUS-FAILOVER OK - consistent: 0 errors, 0 warnings, 2 info | errors=0;;0;0 warnings=0;0;;0 info=2;;;0 primary_entries="
      ), "\(outcome.line)")
    expectVerdict(outcome.metrics, "consistent")
    #expect(outcome.metrics.value("cyrus_failover_exit_status") == 0)
    // The four stale subscriptions are two, each found on both sides alike (side both).
    #expect(outcome.metrics.value("cyrus_failover_findings", ["severity": "info"]) == 2)
    #expect(
      outcome.metrics.value(
        "cyrus_failover_findings_by_code", ["code": "subscriptions.unknown-mailbox"]) == 2)
    #expect(
      outcome.metrics.samples.filter { $0.name == "cyrus_failover_findings_by_code" }.count
        == FindingCode.all.count)
    let labels = ["primary": corpus.primary, "failover": corpus.failover]
    #expect(
      outcome.metrics.samples.allSatisfy { sample in
        labels.allSatisfy { sample.labels[$0.key] == $0.value }
      })
  }

  @Test func shippedPairWithBrokenHardLinksIsWarning() throws {
    let corpus = try Corpus()
    let outcome = try run(primary: corpus.primary, failover: corpus.failover)
    #expect(outcome.nagiosStatus == 1 && outcome.plainStatus == 1)
    #expect(
      outcome.line.hasPrefix(
        "CYRUS-FAILOVER WARNING - differences found: 0 errors, 3 warnings, 2 info; file.hardlink-mismatch 3; first: mailbox user."
      ), "\(outcome.line)")
    #expect(outcome.line.contains(" | errors=0;;0;0 warnings=3;0;;0 info=2;;;0 "))
    expectVerdict(outcome.metrics, "differences")
    #expect(outcome.metrics.value("cyrus_failover_exit_status") == 1)
    #expect(
      outcome.metrics.value("cyrus_failover_findings_by_code", ["code": "file.hardlink-mismatch"])
        == 3)
    #expect(outcome.metrics.value("cyrus_failover_findings", ["severity": "warning"]) == 3)
  }

  @Test func missingMessageIsCriticalForNagiosAndExitOneOtherwise() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let message = try #require(try corpus.messageFiles(linked: false).first)
    try FileManager.default.removeItem(atPath: corpus.failoverSpool + "/" + message)
    let outcome = try run(primary: corpus.primary, failover: corpus.failover)
    #expect(outcome.nagiosStatus == 2 && outcome.plainStatus == 1)
    #expect(outcome.line.hasPrefix("CYRUS-FAILOVER CRITICAL - differences found: 2 errors"))
    #expect(outcome.line.contains("file.missing 1"), "\(outcome.line)")
    expectVerdict(outcome.metrics, "differences")
    #expect(outcome.metrics.value("cyrus_failover_exit_status") == 1)
    #expect(outcome.metrics.value("cyrus_failover_findings_by_code", ["code": "file.missing"]) == 1)
  }

  @Test func unreadablePartitionIsCriticalAndIncomplete() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    try FileManager.default.removeItem(atPath: corpus.failoverSpool)
    try Data("not a directory".utf8).write(to: URL(fileURLWithPath: corpus.failoverSpool))
    let outcome = try run(primary: corpus.primary, failover: corpus.failover)
    #expect(outcome.nagiosStatus == 2 && outcome.plainStatus == 2)
    #expect(outcome.line.hasPrefix("CYRUS-FAILOVER CRITICAL - could not verify completely: "))
    expectVerdict(outcome.metrics, "incomplete")
    #expect(outcome.metrics.value("cyrus_failover_exit_status") == 2)
    #expect(
      (outcome.metrics.value("cyrus_failover_findings_by_code", ["code": "directory.unlistable"])
        ?? 0) >= 1)
  }

  @Test func runThatCannotStartIsUnknownWithErrorMetrics() throws {
    // A path with a quote, a backslash and a line feed: escaped in the labels, one line for
    // Nagios.
    let odd = "/nonexistent/a\"b\\c\nd/imapd.conf"
    let outcome = try run(primary: odd, failover: "/nonexistent/failover")
    #expect(outcome.nagiosStatus == 3 && outcome.plainStatus == 2)
    #expect(outcome.line.hasPrefix("CYRUS-FAILOVER UNKNOWN - "), "\(outcome.line)")
    #expect(outcome.line.contains("/nonexistent/a\"b\\c d/imapd.conf"), "\(outcome.line)")
    expectVerdict(outcome.metrics, "error")
    #expect(outcome.metrics.value("cyrus_failover_exit_status") == 2)
    #expect(
      outcome.metrics.value("cyrus_failover_verdict", ["primary": odd, "verdict": "error"]) == 1)
    #expect(!outcome.metrics.samples.contains { $0.name == "cyrus_failover_findings" })
  }

  @Test func usageErrorsWithNagiosAreUnknown() throws {
    let missing = try Tool.run([Tool.executable, "verify", "--primary", "/x", "--nagios"])
    #expect(missing.status == 3)
    #expect(missing.stdout.hasPrefix("CYRUS-FAILOVER UNKNOWN - "), "\(missing.stdout)")
    let format = try Tool.run([
      Tool.executable, "verify", "--primary", "/x", "--failover", "/y", "--nagios", "--format",
      "json",
    ])
    #expect(format.status == 3 && format.stdout.contains("drop --format"), "\(format.stdout)")
  }

  @Test func metricsReplaceAnOldFileWhole() throws {
    let corpus = try Corpus()
    let directory = try TemporaryDirectory(prefix: "cyrus-failover-metrics")
    let file = directory.path + "/cyrus-failover.prom"
    try Data(String(repeating: "leftover of an old run\n", count: 10_000).utf8).write(
      to: URL(fileURLWithPath: file))
    let result = try Tool.run([
      Tool.executable, "verify", "--primary", corpus.primary, "--failover", corpus.failover,
      "--no-progress", "--metrics", file,
    ])
    #expect(result.status == 1)
    let text = try String(contentsOfFile: file, encoding: .utf8)
    #expect(!text.contains("leftover"))
    #expect(try PrometheusText(text).value("cyrus_failover_exit_status") == 1)
    let missingDirectory = try Tool.run([
      Tool.executable, "verify", "--primary", corpus.primary, "--failover", corpus.failover,
      "--no-progress", "--metrics", directory.path + "/no/such/dir/x.prom",
    ])
    #expect(missingDirectory.status == 2)
    #expect(missingDirectory.stderr.contains("no/such/dir"), "\(missingDirectory.stderr)")
  }
}
