import ArgumentParser
import CyrusStore
import Remote
import Verification

/// How deep `verify` looks.
enum LevelOption: String, ExpressibleByArgument, CaseIterable {
  case meta, guid, full, incremental
  var walkLevel: VerifyLevel {
    switch self {
    case .meta: .meta
    case .guid: .guid
    case .full: .full
    case .incremental: .incremental
    }
  }
}

/// Report formats.
enum FormatOption: String, ExpressibleByArgument, CaseIterable {
  case text, json, junit
}

/// The severity from which the exit status is 1.
enum FailOnOption: String, ExpressibleByArgument, CaseIterable {
  case warning, error
  var severity: Severity { self == .warning ? .warning : .error }
}

/// Options shared by the commands that verify and report.
struct ReportOptions: ParsableArguments {
  @Option(
    help:
      "meta: metadata only, no content read; guid: each message file's SHA-1 checked against its cyrus.index GUID on its own host, GUIDs compared across sides, other files SHA-256; full: SHA-256 of every file; incremental: like full, but a file whose inode, size, mtime and ctime are unchanged keeps its digest from --cache (see --scrub)."
  )
  var level: LevelOption = .full

  @Option(help: "Report format on standard output.")
  var format: FormatOption = .text

  @Flag(help: "Also walk runtime-only files (sockets, proc/, lock/, db/__db.*, stage./ …).")
  var includeRuntime = false

  @Option(help: "Findings shown per mailbox or area in the text and JUnit reports.")
  var maxDetail = 20

  @Flag(help: "Show info-level findings in the text report too.")
  var showInfo = false

  @Option(help: "Lowest severity that makes the exit status 1.")
  var failOn: FailOnOption = .warning

  @Flag(
    help:
      "Conditions found on each side alike (the same orphan, the same damage: side 'both') make the exit status 1 too."
  )
  var failOnShared = false

  @Flag(
    inversion: .prefixedNo,
    help: "Progress line on standard error (default: when it is a terminal).")
  var progress: Bool?

  func validate() throws {
    guard maxDetail >= 0 else { throw ValidationError("--max-detail must be 0 or more") }
  }

  /// What makes the verdict `differences`.
  var policy: VerdictPolicy {
    VerdictPolicy(failOn: failOn.severity, failOnShared: failOnShared)
  }

  /// Runs the session, writes the report (or the plugin line) and the metrics, returns the exit
  /// status and the result.
  func run(
    _ session: VerifySession, monitor: VerifyMonitor,
    classify: ((inout Finding) -> Void)? = nil
  ) throws -> (status: Int32, result: VerifyResult) {
    let output = StandardOutput()
    var json: JSONReport?
    if format == .json {
      json = JSONReport(
        output: output, context: session.context, toolVersion: CyrusFailover.toolVersion)
    }
    let showProgress = progress ?? Console.stderrIsTerminal
    let line = ProgressLine(
      onTerminal: Console.stderrIsTerminal, readsContent: level == .full || level == .guid)
    let result = try session.run(
      sink: json ?? FindingFanOut([]),
      progress: { counts in
        if showProgress { line.update(counts, expected: session.expectedTotals) }
      }, classify: classify)
    if showProgress { line.clear() }
    switch format {
    case _ where monitor.replacesReport: break
    case .text:
      TextReport.write(
        result.summary, context: result.context, verdict: result.verdict, showInfo: showInfo,
        to: output)
    case .json:
      json?.finish(summary: result.summary, context: result.context, verdict: result.verdict)
    case .junit:
      JUnitReport.write(
        result.summary, context: result.context, verdict: result.verdict, to: output)
    }
    output.flush()
    let status = try monitor.finish(
      summary: result.summary, context: result.context, verdict: result.verdict,
      failOn: failOn.severity, output: output)
    return (status, result)
  }
}
