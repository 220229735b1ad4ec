import CyrusStore
import Foundation
import Testing

@testable import Verification

#if canImport(FoundationXML)
  import FoundationXML
#endif

@Suite struct ReportTests {
  let context = VerifyContext(
    primary: .init(
      configFile: "/p/etc/imapd.conf", root: "/p", areas: [("config", "/p/var/lib/cyrus")]),
    failover: .init(configFile: "/f/etc/imapd.conf", root: nil, areas: []), level: "full")

  @Test func jsonReportIsValidJSONWithEveryField() throws {
    let output = StringOutput()
    let report = JSONReport(output: output, context: context)
    let summary = FindingSummary()
    let finding = Finding(
      .sizeMismatch, side: .both, area: "partition-default", path: "a/\"q\"\n",
      mailbox: "user.anna", primary: "1",
      failover: "2")
    report.emit(finding)
    summary.emit(finding)
    report.finish(
      summary: summary, context: context, verdict: summary.verdict(VerdictPolicy(failOn: .warning)))
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: Any])
    #expect(object["version"] as? Int == 1)
    let findings = try #require(object["findings"] as? [[String: Any]])
    #expect(findings.count == 1)
    #expect(findings[0]["code"] as? String == "file.size-mismatch")
    // Control characters in a path are escaped; the escaped form reads back to the same bytes.
    #expect(findings[0]["path"] as? String == "a/\"q\"\\x0a")
    let line = try #require(
      output.text.split(separator: "\n").first { $0.contains("size-mismatch") })
    let decoded = try JSONDecoder().decode(Finding.self, from: Data(line.utf8))
    #expect(decoded == finding)
    let verdict = (object["summary"] as? [String: Any])?["verdict"] as? String
    #expect(verdict == "differences")
  }

  @Test func emptyJSONReportIsValid() throws {
    let output = StringOutput()
    let report = JSONReport(output: output, context: context)
    report.finish(summary: FindingSummary(), context: context, verdict: .consistent)
    let object = try JSONSerialization.jsonObject(with: Data(output.text.utf8)) as? [String: Any]
    #expect((object?["findings"] as? [Any])?.isEmpty == true)
  }

  @Test func textReportCapsDetailPerGroup() {
    let summary = FindingSummary(detailLimit: 2)
    for index in 0..<5 {
      summary.emit(
        Finding(
          .fileMissing, side: .failover, area: "partition-default", path: EntryPath("\(index)."),
          mailbox: "user.a"))
    }
    let output = StringOutput()
    TextReport.write(summary, context: context, verdict: .differences, showInfo: false, to: output)
    #expect(output.text.contains("… and 3 more"))
    #expect(output.text.hasPrefix("cyrus-failover verify: DIFFERENCES FOUND"))
  }

  /// Codes of one severity and count are listed by name, whatever order the summary's
  /// dictionary holds them in (it differs from process to process).
  @Test func textReportBreaksTiesByCodeName() throws {
    let tied = FindingCode.all.filter { $0.defaultSeverity == .error }.prefix(4)
    try #require(tied.count == 4)
    let summary = FindingSummary()
    // Emitted in reverse name order, once each.
    for code in tied.sorted(by: { $0.rawValue > $1.rawValue }) {
      summary.emit(
        Finding(code, side: .failover, area: "partition-default", path: EntryPath("1.")))
    }
    let output = StringOutput()
    TextReport.write(summary, context: context, verdict: .differences, showInfo: false, to: output)
    let listed = output.text.split(separator: "\n").compactMap { line in
      tied.first { line.hasPrefix("  \($0.rawValue) ") }?.rawValue
    }
    #expect(listed == tied.map(\.rawValue).sorted())
  }

  @Test func junitReportIsWellFormedXML() throws {
    let summary = FindingSummary()
    summary.emit(Finding(.fileMissing, side: .failover, area: "config", path: "a&b<c>"))
    let output = StringOutput()
    JUnitReport.write(summary, context: context, verdict: .differences, to: output)
    let document = try XMLDocument(data: Data(output.text.utf8))
    #expect(try document.nodes(forXPath: "//failure").count == 1)
  }

  @Test func everyCodeIsDocumented() throws {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/findings.md")
    let text = try String(contentsOf: url, encoding: .utf8)
    for code in FindingCode.all {
      #expect(text.contains("`\(code.rawValue)`"), "docs/findings.md lacks \(code.rawValue)")
    }
  }
}
