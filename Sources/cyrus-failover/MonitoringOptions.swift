import ArgumentParser

/// `verify`'s outputs for monitoring: a Nagios/Icinga plugin line in place of the report, and a
/// node_exporter textfile.
struct MonitoringOptions: ParsableArguments {
  @Flag(
    help: """
      Print one Nagios/Icinga plugin line with performance data instead of the report, and exit \
      0 OK (consistent), 1 WARNING (differences, none an error), 2 CRITICAL (an error, or could \
      not verify completely), 3 UNKNOWN (could not run).
      """)
  var nagios = false

  @Option(
    help: ArgumentHelp(
      "Also write node_exporter textfile metrics to this file (replaced atomically; name it *.prom in the collector's directory).",
      valueName: "file"))
  var metrics: String?

  /// Rejects a report format that the plugin line would replace.
  func check(format: FormatOption) throws {
    if nagios && format != .text {
      throw ValidationError("--nagios prints the plugin line in place of the report: drop --format")
    }
  }
}
