import Foundation
import Processes
import Verification

extension SignOff {
  /// The report as one self-contained HTML page for people: no script, no external style
  /// sheet, image or font; every text from outside escaped (``HTMLText``). It is well-formed
  /// XML as well (polyglot markup). The verdict is `#verdict`; each listed finding a
  /// `tr.finding` with its code in `data-code` and its class in `data-class`.
  public var html: String {
    var page = HTMLPage()
    page.raw("<!DOCTYPE html>\n")
    page.start("html", [("xmlns", "http://www.w3.org/1999/xhtml"), ("lang", "en")])
    page.start("head")
    page.raw("<meta charset=\"utf-8\"/>")
    page.element("title", "cyrus-failover sign-off: \(verdict.rawValue) — \(failover.configFile)")
    page.start("style")
    page.raw(Self.style)
    page.end("style")
    page.end("head")
    page.start("body")
    page.element("h1", "Sign-off of a Cyrus failover")
    page.start("p", [("id", "verdict"), ("class", "verdict \(verdict.rawValue)")])
    page.put("Verdict: ")
    page.element("strong", verdict.rawValue)
    page.put(" (exit status \(exitStatus))")
    page.end("p")
    page.element(
      "p",
      "Written by cyrus-failover \(toolVersion) (\(madeBy)) at \(created); verification at level "
        + "\(level), failing on \(policy.failOn.rawValue) and above"
        + (policy.failOnShared ? ", conditions found on both sides included." : "."),
      [("id", "made")])
    sides(&page)
    if let procedure { Self.procedure(procedure, &page) }
    findingsSection(&page)
    manifestsSection(&page)
    page.element("h2", "Checking this sign-off")
    page.start("pre", [("id", "commands")])
    page.put(
      "cyrus-failover verify-sign-off \(SignOff.jsonName) --allowed-signers FILE --identity ID\n"
        + "cyrus-failover promote --failover \(failover.given) --sign-off \(SignOff.jsonName)")
    page.end("pre")
    page.end("body")
    page.end("html")
    return page.finished + "\n"
  }

  static let style = """
    body{font-family:sans-serif;margin:2em;color:#222}
    table{border-collapse:collapse;margin:0.5em 0 1.5em}
    td,th{border:1px solid #bbb;padding:0.2em 0.5em;text-align:left;vertical-align:top}
    th{background:#eee} td.num{text-align:right} code,pre{font-family:monospace}
    .verdict{font-size:1.4em;padding:0.4em;border:2px solid}
    .consistent{background:#e6f4e6;border-color:#393} .differences{background:#fdeaea;border-color:#c33}
    .incomplete{background:#fff4d6;border-color:#c93} tr.error td.severity{color:#b00;font-weight:bold}
    tr.warning td.severity{color:#a60}
    """

  private func sides(_ page: inout HTMLPage) {
    page.element("h2", "Hosts")
    page.start("table", [("id", "sides")])
    page.row(["", primary.role, failover.role], heading: true)
    func row(_ label: String, _ value: (Side) -> String?) {
      page.row([label, value(primary) ?? "—", value(failover) ?? "—"])
    }
    row("named as") { $0.given }
    row("host") { $0.host }
    row("machine id") { $0.machineID }
    row("Cyrus version") { $0.cyrusVersion }
    row("Cyrus packages") { side in
      side.cyrusPackages.isEmpty
        ? nil
        : side.cyrusPackages.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
          .joined(separator: ", ")
    }
    row("installed Cyrus family") { $0.cyrusFamily }
    row("data written by") { $0.dataFamily }
    row("service") { $0.service }
    row("imapd.conf") { $0.configFile }
    row("root") { $0.root }
    for name in Set(primary.areas.keys).union(failover.areas.keys).sorted() {
      row("area \(name)") { $0.areas[name] }
    }
    page.end("table")
  }

  private static func procedure(_ procedure: Procedure, _ page: inout HTMLPage) {
    page.element("h2", "Procedure: \(procedure.name), \(procedure.outcome)")
    if let failure = procedure.failure {
      page.element(
        "p", "Failed at \(procedure.failedStep ?? "?"): \(failure)", [("class", "failure")])
    }
    page.start("table", [("id", "steps")])
    page.row(
      ["step", "host", "command", "started (UTC)", "seconds", "outcome", "note"], heading: true)
    for step in procedure.steps {
      page.start("tr", [("class", "step"), ("data-step", step.id)])
      page.element("td", step.id, [("class", "id")])
      page.element("td", step.host, [("class", "host")])
      page.start("td", [("class", "command")])
      if let argv = step.argv {
        page.element("code", argv.map(Invocation.displayWord).joined(separator: " "))
      } else {
        page.put(step.title)
      }
      page.end("td")
      page.element("td", time(step.started), [("class", "started")])
      page.element("td", String(format: "%.2f", step.seconds), [("class", "seconds num")])
      page.element("td", step.outcome, [("class", "outcome")])
      page.element(
        "td", [step.status, step.note].compactMap { $0 }.joined(separator: "; "),
        [("class", "note")])
      page.end("tr")
    }
    page.end("table")
    if let window = procedure.window {
      page.element(
        "p",
        "Stopped window: "
          + (window.seconds.map { String(format: "%.2f s", $0) } ?? "open (start not confirmed)")
          + " — stop issued \(time(window.stopIssued))"
          + (window.startConfirmed.map { ", start confirmed \(time($0))" } ?? ""),
        [("id", "window")])
    }
    let moved = procedure.bytesMoved
    page.element(
      "p",
      "Bytes moved: \(moved.transferredBytes) bytes in \(moved.transferredFiles) files, "
        + "\(moved.bytesSent) bytes sent and \(moved.bytesReceived) received by rsync, "
        + "\(moved.deletedFiles) files deleted.", [("id", "bytes-moved")])
    page.start("table", [("id", "passes")])
    page.row(
      ["pass", "files", "transferred files", "transferred bytes", "sent", "received", "deleted"],
      heading: true)
    for (name, pass) in procedure.passes.sorted(by: { $0.key < $1.key }) {
      page.row(
        [
          name, "\(pass.files)", "\(pass.transferredFiles)", "\(pass.transferredBytes)",
          "\(pass.bytesSent)", "\(pass.bytesReceived)", "\(pass.deletedFiles)",
        ])
    }
    page.end("table")
  }

  /// Seconds since the epoch as `2026-03-05 14:03:11.25`, UTC.
  static func time(_ seconds: Double) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SS"
    return formatter.string(from: Date(timeIntervalSince1970: seconds))
  }
}
