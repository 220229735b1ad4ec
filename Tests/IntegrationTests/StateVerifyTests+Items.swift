import CyrusFormats
import CyrusStore
import Foundation
import Testing

/// Seen records and subscriptions itemized per mailbox, and cyrus.header uniqueids against
/// mailboxes.db, on the real-Cyrus pair changed with real Cyrus's `cyr_dbtool`.
extension StateVerifyTests {
  /// The findings of one code in a JSON report, each as its members, sorted by mailbox and side.
  func members(_ json: [String: Any], _ code: String) -> [[String: String]] {
    let list = json["findings"] as? [[String: Any]] ?? []
    return list.filter { $0["code"] as? String == code }
      .map { $0.compactMapValues { $0 as? String } }
      .sorted { ($0["mailbox"] ?? "", $0["side"] ?? "") < ($1["mailbox"] ?? "", $1["side"] ?? "") }
  }

  func verify(_ corpus: Corpus, _ extra: [String] = []) throws -> (
    status: Int32, findings: [String], json: [String: Any]
  ) {
    try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover] + extra)
  }

  func config(_ corpus: Corpus, _ relative: String, primary: Bool = false) -> String {
    (primary ? corpus.primary : corpus.failover) + "/var/lib/cyrus/" + relative
  }

  @Test func subscriptionsToMailboxesGoneSinceAreInformationFoundOnEachSide() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let result = try verify(corpus)
    #expect(result.status == 0)
    #expect(result.findings == [])
    let bert = try corpus.userFile("sub.db", of: "bert")
    let carla = try corpus.userFile("sub.db", of: "carla")
    var expected: [[String: String]] = []
    // Each side's mailboxes.db lacks the mailbox alike: one finding per subscription, side both.
    for (path, mailbox, user) in [
      (bert, "user.bert.Old Stuff", "bert"), (carla, "user.carla.Temp", "carla"),
    ] {
      expected.append([
        "code": "subscriptions.unknown-mailbox", "severity": "info", "side": "both",
        "area": "config", "path": path, "mailbox": mailbox, "user": user,
        "detail": "user \(user): not in either side's mailboxes.db",
      ])
    }
    #expect(members(result.json, "subscriptions.unknown-mailbox") == expected)
  }

  @Test func seenRecordsChangedByCyrusAreReportedPerMailboxWithBothValues() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try corpus.userFile("seen.db", of: "bert")
    let projects = try corpus.uniqueID(of: "user.anna.Projects")
    let announcements = try corpus.uniqueID(of: "shared.announcements")
    let records = try corpus.primaryRecords(relative)
    let record = try #require(records.first { $0.key == Array(projects.utf8) })
    let before = try SeenValue(parsing: record.value)
    let tool = try CyrDBTool(corpus)
    // bert has seen the last message of anna's Projects too, and lost all of announcements.
    try tool.run(
      config(corpus, relative), "twoskip", "set", projects,
      "1 \(before.lastRead) \(before.lastUID) \(before.lastChange) \(before.seen),\(before.lastUID)"
    )
    try tool.run(config(corpus, relative), "twoskip", "delete", announcements)
    let result = try verify(corpus)
    // One finding per mailbox; the file's size difference is what they explain.
    #expect(
      result.findings == [
        "seen.mismatch config:\(relative)", "seen.mismatch config:\(relative)",
      ])
    #expect(result.status == 1)
    let common = [
      "code": "seen.mismatch", "severity": "error", "side": "both", "area": "config",
      "path": relative, "user": "bert",
    ]
    #expect(
      members(result.json, "seen.mismatch") == [
        common.merging([
          "mailbox": "shared.announcements", "primary": "last UID 4, seen 1:2",
          "failover": "no seen state", "detail": "user bert, uniqueid \(announcements)",
          "uniqueid": announcements,
        ]) { $1 },
        common.merging([
          "mailbox": "user.anna.Projects", "primary": "last UID 2, seen 1",
          "failover": "last UID 2, seen 1:2", "detail": "user bert, uniqueid \(projects)",
          "uniqueid": projects,
        ]) { $1 },
      ])
  }

  @Test func sameSeenSetWrittenDifferentlyIsNoDifference() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try corpus.userFile("seen.db", of: "bert")
    let announcements = try corpus.uniqueID(of: "shared.announcements")
    let record = try #require(
      try corpus.primaryRecords(relative).first { $0.key == Array(announcements.utf8) })
    let before = try SeenValue(parsing: record.value)
    try #require(before.seen.description == "1:2")
    // 1:2 as "2,1", read an hour later: the same seen state (read times are not compared).
    try CyrDBTool(corpus).run(
      config(corpus, relative), "twoskip", "set", announcements,
      "1 \(before.lastRead + 3600) \(before.lastUID) \(before.lastChange) 2,1")
    let result = try verify(corpus)
    #expect(result.findings == ["state.rewritten config:\(relative)"])
    #expect(result.status == 0)
  }

  @Test func subscriptionsRemovedByCyrusAreReportedPerName() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try corpus.userFile("sub.db", of: "bert")
    let tool = try CyrDBTool(corpus)
    // Another user's mailbox, and one of bert's own (stored as INBOX…).
    try tool.run(config(corpus, relative), "flat", "delete", "Nuser\u{1F}anna\u{1F}Projects")
    try tool.run(config(corpus, relative), "flat", "delete", "NINBOX\u{1F}Sent")
    let result = try verify(corpus)
    #expect(
      result.findings == [
        "subscriptions.mismatch config:\(relative)", "subscriptions.mismatch config:\(relative)",
      ])
    #expect(result.status == 1)
    #expect(
      members(result.json, "subscriptions.mismatch")
        == ["user.anna.Projects", "user.bert.Sent"].map {
          [
            "code": "subscriptions.mismatch", "severity": "error", "side": "both", "area": "config",
            "path": relative, "mailbox": $0, "primary": "subscribed", "failover": "not subscribed",
            "detail": "user bert", "user": "bert",
          ]
        })
  }

  @Test func subscriptionToANonexistentMailboxIsADifferenceOnlyWhenTheSidesDisagree() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try corpus.userFile("sub.db", of: "carla")
    let tool = try CyrDBTool(corpus)
    let nowhere = "Nuser\u{1F}anna\u{1F}Nowhere"
    try tool.run(config(corpus, relative), "flat", "set", nowhere, "")
    let oneSide = try verify(corpus)
    #expect(
      oneSide.findings == [
        "subscriptions.mismatch config:\(relative)",
        "subscriptions.unknown-mailbox config:\(relative)",
      ])
    let unknown = [
      "code": "subscriptions.unknown-mailbox", "severity": "info", "area": "config",
      "path": relative, "mailbox": "user.anna.Nowhere", "user": "carla",
    ]
    #expect(
      members(oneSide.json, "subscriptions.unknown-mailbox").filter {
        $0["mailbox"] == "user.anna.Nowhere"
      } == [
        unknown.merging([
          "side": "failover", "detail": "user carla: not in the failover's mailboxes.db",
        ]) { $1 }
      ])
    #expect(
      members(oneSide.json, "subscriptions.mismatch") == [
        [
          "code": "subscriptions.mismatch", "severity": "error", "side": "both", "area": "config",
          "path": relative, "mailbox": "user.anna.Nowhere", "primary": "not subscribed",
          "failover": "subscribed", "detail": "user carla", "user": "carla",
        ]
      ])
    // The same subscription on both sides: one piece of information, no difference.
    try tool.run(config(corpus, relative, primary: true), "flat", "set", nowhere, "")
    try corpus.copyFailover()
    let bothSides = try verify(corpus)
    #expect(bothSides.findings == ["subscriptions.unknown-mailbox config:\(relative)"])
    #expect(
      members(bothSides.json, "subscriptions.unknown-mailbox").filter {
        $0["mailbox"] == "user.anna.Nowhere"
      }
        == [
          unknown.merging([
            "side": "both", "detail": "user carla: not in either side's mailboxes.db",
          ]) { $1 }
        ])
    #expect(bothSides.status == 0)
  }

  @Test func headerUniqueIDThatDisagreesWithMailboxesDBIsAnErrorOnItsSide() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let sent = try corpus.uniqueID(of: "user.anna.Sent")
    let other = try corpus.uniqueID(of: "user.bert")
    let id = Array(sent)
    let directory = "uuid/\(id[0])/\(id[1])/\(sent)"
    let header = corpus.failoverSpool + "/" + directory + "/cyrus.header"
    // The header starts with binary magic: replace the uniqueid as bytes.
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: header)))
    let field = Array(" I \(sent) ".utf8)
    let start = try #require(
      bytes.indices.first { bytes[$0...].starts(with: field) }, "no uniqueid in \(header)")
    bytes.replaceSubrange(start..<(start + field.count), with: Array(" I \(other) ".utf8))
    // In place, with its mtime kept: only the uniqueid differs.
    let mtime = try FileManager.default.attributesOfItem(atPath: header)[.modificationDate]
    let handle = try #require(FileHandle(forWritingAtPath: header))
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
    try FileManager.default.setAttributes(
      [.modificationDate: mtime as Any], ofItemAtPath: header)
    let full = try verify(corpus)
    #expect(
      full.findings == [
        "file.content-mismatch partition-default:\(directory)/cyrus.header",
        "mailbox.header-uniqueid-mismatch user.anna.Sent [failover]",
      ])
    #expect(full.status == 1)
    #expect(
      members(full.json, "mailbox.header-uniqueid-mismatch") == [
        [
          "code": "mailbox.header-uniqueid-mismatch", "severity": "error", "side": "failover",
          "area": "partition-default", "path": "\(directory)/cyrus.header",
          "mailbox": "user.anna.Sent", "failover": "mailboxes.db \(sent), cyrus.header \(other)",
          "uniqueid": sent, "detail": "uniqueid \(sent)",
        ]
      ])
    // Without content hashing the header's uniqueid is still read and checked.
    #expect(
      try verify(corpus, ["--level", "meta"]).findings == [
        "mailbox.header-uniqueid-mismatch user.anna.Sent [failover]"
      ])
  }
}
