import Foundation
import Verification

extension SignOff {
  /// Counts per code, then the listed findings by mailbox: divergence first, lag apart.
  func findingsSection(_ page: inout HTMLPage) {
    page.element("h2", "Findings")
    let counts = Severity.allCases.reversed().map {
      "\(findings.severities[$0.rawValue] ?? 0) \($0.rawValue)"
    }
    page.element(
      "p",
      "\(findings.total) findings (\(counts.joined(separator: ", "))), \(findings.listed) listed; "
        + FindingClass.allCases.map { "\(findings.classes[$0.rawValue] ?? 0) \($0.rawValue)" }
        .joined(separator: ", ")
        + ". Entries: \(findings.entries["primary"] ?? 0) on the primary, "
        + "\(findings.entries["failover"] ?? 0) on the failover, "
        + "\(findings.entries["compared"] ?? 0) on both.",
      [("id", "finding-counts")])
    if !findings.codes.isEmpty {
      page.start("table", [("id", "codes")])
      page.row(["code", "findings"], heading: true)
      for (code, count) in findings.codes.sorted(by: { $0.key < $1.key }) {
        page.start("tr")
        page.start("td")
        page.element("code", code)
        page.end("td")
        page.element("td", "\(count)", [("class", "num")])
        page.end("tr")
      }
      page.end("table")
    }
    for findingClass in FindingClass.allCases {
      let heading =
        findingClass == .divergence
        ? "Divergence: the copy differs from the primary as it was copied"
        : "Lag: the primary changed after the copy"
      page.start("section", [("id", findingClass.rawValue)])
      page.element("h3", heading)
      var any = false
      for group in findings.groups {
        let members = group.findings.filter { $0.findingClass == findingClass }
        guard !members.isEmpty else { continue }
        any = true
        Self.group(group, members, &page)
      }
      if !any { page.element("p", "None.") }
      page.end("section")
    }
  }

  private static func group(_ group: Group, _ members: [ListedFinding], _ page: inout HTMLPage) {
    page.element(
      "h4",
      "\(group.title) — \(group.total) finding\(group.total == 1 ? "" : "s"), worst "
        + group.worst.rawValue)
    page.start("table", [("class", "findings")])
    page.row(
      ["severity", "code", "side", "where", "primary", "failover", "detail"], heading: true)
    for listed in members {
      let finding = listed.finding
      page.start(
        "tr",
        [
          ("class", "finding \(finding.severity.rawValue)"), ("data-code", finding.code.rawValue),
          ("data-class", listed.findingClass.rawValue),
        ])
      page.element("td", finding.severity.rawValue, [("class", "severity")])
      page.start("td", [("class", "code")])
      page.element("code", finding.code.rawValue)
      page.end("td")
      page.element("td", finding.side.rawValue, [("class", "side")])
      page.element("td", finding.location ?? finding.mailbox ?? "—", [("class", "location")])
      page.element("td", finding.primary ?? "", [("class", "primary")])
      page.element("td", finding.failover ?? "", [("class", "failover")])
      page.element("td", FindingText.detail(finding) ?? "", [("class", "detail")])
      page.end("tr")
    }
    page.end("table")
    let unlisted = group.total - group.findings.count
    if unlisted > 0 {
      page.element(
        "p",
        "\(unlisted) more in \(group.title) not listed (the report keeps the first "
          + "\(group.findings.count); see the verification's full report).", [("class", "more")])
    }
  }

  /// Each manifest with its digests.
  func manifestsSection(_ page: inout HTMLPage) {
    page.element("h2", "Manifests")
    page.element(
      "p",
      "Saved beside this report. The entries digest is SHA-256 over the manifest's entries in "
        + "order, independent of when it was saved (docs/signoff.md); promote compares the "
        + "failover with its manifest before it starts it.")
    page.start("table", [("id", "manifests")])
    page.row(
      [
        "side", "file", "SHA-256", "entries digest", "entries", "bytes", "level", "saved (UTC)",
        "from",
      ],
      heading: true)
    for (role, manifest) in [("primary", manifests.primary), ("failover", manifests.failover)] {
      guard let manifest else {
        page.row([role, "none", "", "", "", "", "", "", ""])
        continue
      }
      page.start("tr", [("class", "manifest"), ("data-side", role)])
      page.element("td", role, [("class", "side")])
      page.element("td", manifest.file, [("class", "file")])
      page.start("td", [("class", "sha256")])
      page.element("code", manifest.sha256)
      page.end("td")
      page.start("td", [("class", "entries-digest")])
      page.element("code", manifest.entriesDigest)
      page.end("td")
      page.element("td", "\(manifest.entries)", [("class", "entries num")])
      page.element("td", "\(manifest.bytes)", [("class", "bytes num")])
      page.element(
        "td", manifest.level + (manifest.includeRuntime ? ", runtime files" : ""),
        [("class", "level")])
      page.element("td", Self.time(Double(manifest.created)), [("class", "created")])
      page.element("td", manifest.origin, [("class", "origin")])
      page.end("tr")
    }
    page.end("table")
  }
}
