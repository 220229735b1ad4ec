import Foundation
import Remote
import Verification

extension RepairProcedure {
  /// What a saved verify report (`--format json`) holds that a repair needs.
  struct SavedReport: Decodable {
    struct SideHeader: Decodable {
      var configFile: String
      enum CodingKeys: String, CodingKey { case configFile = "config_file" }
    }
    var schema: String
    var version: Int
    var toolVersion: String?
    var primary: SideHeader
    var failover: SideHeader
    var findings: [Finding]
    enum CodingKeys: String, CodingKey {
      case schema, version, primary, failover, findings
      case toolVersion = "tool_version"
    }
  }

  /// Reads a saved report, refusing one of another tool version or another pair.
  static func read(
    report path: String, source: ProcedureSide, destination: ProcedureSide,
    request: ProcedureRequest
  ) throws -> [Finding] {
    guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 30 else {
      throw ProcedureError(.refused, "\(path): cannot read the report")
    }
    let report: SavedReport
    do {
      report = try JSONDecoder().decode(SavedReport.self, from: data)
    } catch {
      throw ProcedureError(
        .refused, "\(path): not a complete cyrus-failover verify report (\(error))")
    }
    guard report.schema == "cyrus-failover.verify", report.version == JSONReport.schemaVersion
    else {
      throw ProcedureError(
        .refused, "\(path): schema \(report.schema) version \(report.version) is not this tool's")
    }
    guard report.toolVersion == request.toolVersion else {
      throw ProcedureError(
        .refused,
        "\(path) was written by cyrus-failover \(report.toolVersion ?? "(unknown)"), this is "
          + "\(request.toolVersion): verify again with this version")
    }
    let failover: String
    if case .remote(let host) = destination.place {
      failover = "\(host):\(destination.probe.instance.configFile)"
    } else {
      failover = destination.probe.instance.configFile
    }
    guard report.primary.configFile == source.probe.instance.configFile,
      report.failover.configFile == failover
    else {
      throw ProcedureError(
        .refused,
        "\(path) is a report of \(report.primary.configFile) → \(report.failover.configFile), "
          + "not of \(source.probe.instance.configFile) → \(failover)")
    }
    return report.findings
  }
}
