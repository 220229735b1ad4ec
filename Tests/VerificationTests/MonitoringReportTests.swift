import Testing

@testable import Verification

/// The Nagios line and the metrics text as pure functions of a run's summary.
@Suite struct MonitoringReportTests {
  let context: VerifyContext = {
    var context = VerifyContext(
      primary: .init(configFile: "/p/etc/imapd.conf", root: nil, areas: []),
      failover: .init(configFile: "/f/etc/imapd.conf", root: nil, areas: []), level: "full")
    context.primaryEntries = 10
    context.failoverEntries = 9
    context.comparedEntries = 8
    return context
  }()

  func summary(_ findings: [Finding]) -> FindingSummary {
    let summary = FindingSummary()
    for finding in findings { summary.emit(finding) }
    return summary
  }

  @Test(arguments: [
    ([Finding](), Severity.warning, NagiosReport.State.ok),
    ([Finding(.subscriptionsUnknownMailbox, side: .primary)], .warning, .ok),
    ([Finding(.hardLinkMismatch, side: .both)], .warning, .warning),
    ([Finding(.hardLinkMismatch, side: .both)], .error, .ok),
    (
      [Finding(.hardLinkMismatch, side: .both), Finding(.fileMissing, side: .failover)], .warning,
      .critical
    ),
    ([Finding(.unlistable, side: .failover)], .error, .critical),
  ])
  func stateFollowsVerdictAndWorstSeverity(
    findings: [Finding], failOn: Severity, state: NagiosReport.State
  ) {
    let summary = summary(findings)
    #expect(
      NagiosReport.state(verdict: summary.verdict(VerdictPolicy(failOn: failOn)), summary: summary)
        == state)
  }

  @Test func lineNamesCountsCodesAndFirstMailboxThenPerfdata() {
    let summary = summary([
      Finding(.hardLinkMismatch, side: .both, mailbox: "user.anna"),
      Finding(.fileMissing, side: .failover, mailbox: "user.bert"),
      Finding(.fileMissing, side: .failover, mailbox: "user.bert"),
      Finding(.subscriptionsUnknownMailbox, side: .primary),
    ])
    let line = NagiosReport.line(
      summary: summary, context: context, verdict: .differences, failOn: .warning,
      duration: 12.3456)
    #expect(
      line
        == "CYRUS-FAILOVER CRITICAL - differences found: 2 errors, 1 warning, 1 info; "
        + "file.missing 2, file.hardlink-mismatch 1; first: mailbox user.anna | "
        + "errors=2;;0;0 warnings=1;0;;0 info=1;;;0 primary_entries=10;;;0 "
        + "failover_entries=9;;;0 compared_entries=8;;;0 duration=12.346s;;;0\n")
  }

  @Test func consistentLineWithFailOnErrorHasNoWarningThreshold() {
    let summary = summary([Finding(.modeMismatch, side: .both)])
    let line = NagiosReport.line(
      summary: summary, context: context, verdict: .consistent, failOn: .error, duration: 0)
    #expect(line.hasPrefix("CYRUS-FAILOVER OK - consistent: 0 errors, 1 warning, 0 info | "))
    #expect(line.contains(" warnings=1;;;0 "))
  }

  @Test func moreThanThreeCodesAreCounted() {
    let codes: [FindingCode] = [.fileMissing, .fileExtra, .sizeMismatch, .contentMismatch]
    let summary = summary(codes.map { Finding($0, side: .both) })
    let line = NagiosReport.line(
      summary: summary, context: context, verdict: .differences, failOn: .warning, duration: 1)
    #expect(line.contains("errors, 0 warnings, 0 info; ") && line.contains(" and 1 more codes;"))
  }

  @Test func treeTextCannotBreakTheLineOrStartPerfdata() {
    let summary = summary([
      Finding(.fileMissing, side: .failover, mailbox: "user.a|b\nc\u{7}d\u{85}e")
    ])
    let line = NagiosReport.line(
      summary: summary, context: context, verdict: .differences, failOn: .warning, duration: 1)
    // Control characters of a mailbox name are escaped as everywhere else (`\\xNN`).
    #expect(line.contains("first: mailbox user.a¦b\\x0ac\\x07d\\x85e | errors=1"))
    #expect(line.filter { $0 == "\n" || $0 == "|" }.count == 2)
    #expect(NagiosReport.unknown("a|b\r\nc") == "CYRUS-FAILOVER UNKNOWN - a¦b  c\n")
  }

  @Test func metricsHoldEveryCodeAndEscapeLabels() {
    let summary = summary([Finding(.hardLinkMismatch, side: .both)])
    let text = MetricsReport.render(
      summary: summary, context: context, verdict: .differences, duration: 1.5,
      finishedAt: 1_700_000_000.25, labels: [("primary", "/a\"b\\c\nd\u{1}")])
    let label = "primary=\"/a\\\"b\\\\c\\nd?\""
    #expect(text.contains("cyrus_failover_last_run_timestamp_seconds{\(label)} 1700000000.250\n"))
    #expect(text.contains("cyrus_failover_duration_seconds{\(label)} 1.500\n"))
    #expect(text.contains("cyrus_failover_verdict{\(label),verdict=\"differences\"} 1\n"))
    #expect(text.contains("cyrus_failover_verdict{\(label),verdict=\"consistent\"} 0\n"))
    #expect(text.contains("cyrus_failover_exit_status{\(label)} 1\n"))
    #expect(text.contains("cyrus_failover_findings{\(label),severity=\"warning\"} 1\n"))
    #expect(text.contains("cyrus_failover_entries{\(label),side=\"compared\"} 8\n"))
    for code in FindingCode.all {
      let count = code == .hardLinkMismatch ? 1 : 0
      #expect(
        text.contains(
          "cyrus_failover_findings_by_code{\(label),code=\"\(code.rawValue)\"} \(count)\n"))
    }
    #expect(!text.contains("\u{1}"))
  }

  @Test func failureMetricsSayErrorAndCountNothing() {
    let text = MetricsReport.failure(duration: 0.0004, finishedAt: 5, labels: [])
    #expect(text.contains("cyrus_failover_verdict{verdict=\"error\"} 1\n"))
    #expect(text.contains("cyrus_failover_exit_status 2\n"))
    #expect(text.contains("cyrus_failover_duration_seconds 0.000\n"))
    #expect(!text.contains("cyrus_failover_findings"))
    #expect(!text.contains("cyrus_failover_entries"))
  }

  @Test(arguments: [
    (0.0, "0.000"), (0.0006, "0.001"), (1.0, "1.000"), (12.3456, "12.346"), (-3, "0.000"),
    (Double.nan, "0.000"), (1_700_000_000.5, "1700000000.500"),
  ])
  func decimalsAreFixedAndLocaleFree(value: Double, text: String) {
    #expect(MonitoringText.decimal(value) == text)
  }
}
