import Foundation
import TestSupport
import Testing

/// `mboxlist dump --format cyrus36` against what real Cyrus 3.6.1 `ctl_mboxlist -d` printed for
/// the same data (corpora/README.md has the provenance).
@Suite struct DumpCorpusTests {
  @Test(arguments: ["twoskip", "skiplist", "flat"])
  func cyrusdbCorpusDumpsByteForByte(backend: String) throws {
    let expected = try repositoryFile("corpora/cyrusdb/mailboxlist.txt")
    let db = Binary.repository + "/corpora/cyrusdb/mailboxes.\(backend).db"
    let result = try Binary.tool(["mboxlist", "dump", "--db", db, "--format", "cyrus36"])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.output == expected)
    #expect(result.stderr.isEmpty)
  }

  @Test func explicitBackendGivesTheSameDump() throws {
    let db = Binary.repository + "/corpora/cyrusdb/mailboxes.twoskip.db"
    let auto = try Binary.tool(["mboxlist", "dump", "--db", db, "--format", "cyrus36"])
    let forced = try Binary.tool(
      ["mboxlist", "dump", "--db", db, "--backend", "twoskip", "--format", "cyrus36"])
    #expect(forced.status == 0)
    #expect(forced.output == auto.output)
  }

  @Test func examplePrimaryDumpsAsItsOwnMailboxlistTxt() throws {
    let scratch = try Scratch()
    try CorpusArchive.extract(into: scratch.path)
    let expected = try scratch.read("primary/var/lib/cyrus/mailboxlist.txt")
    let result = try Binary.tool([
      "mboxlist", "dump", "--instance", scratch.path + "/primary", "--format", "cyrus36",
    ])
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.output == expected)

    let check = try Binary.tool(["mboxlist", "check", "--instance", scratch.path + "/primary"])
    #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
    #expect(check.stdout.hasPrefix("mboxlist check: MATCHES: "))
  }

  /// A dump older than the database: one mailbox created after it, one deleted, one ACL changed.
  @Test func staleDumpIsReportedFieldByField() throws {
    let scratch = try Scratch()
    let original = String(
      decoding: try repositoryFile("corpora/cyrusdb/mailboxlist.txt"), as: UTF8.self)
    var lines = original.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    let annaIndex = try #require(lines.firstIndex { $0.hasPrefix("\"user.anna\": ") })
    lines[annaIndex] = lines[annaIndex].replacingOccurrences(
      of: "\"acl\": {\"anna\": \"lrswipkxtecdan\"}", with: "\"acl\": {\"anna\": \"lrs\"}")
    let sentIndex = try #require(lines.firstIndex { $0.hasPrefix("\"user.anna.Sent\": ") })
    let removed = lines.remove(at: sentIndex)
    // An extra mailbox that the database no longer has, with a plausible line.
    let extra = removed.replacingOccurrences(of: "user.anna.Sent", with: "user.anna.Gone")
    lines.insert(extra, at: sentIndex)
    let dump = try scratch.write("mailboxlist.txt", lines.joined(separator: "\n"))
    let db = Binary.repository + "/corpora/cyrusdb/mailboxes.twoskip.db"
    let result = try Binary.tool(["mboxlist", "check", "--db", db, "--dump", dump])
    #expect(result.status == 1, "\(result.stderr)")
    let differences = result.stdout.split(separator: "\n").dropLast().map(String.init)
    #expect(
      differences == [
        "dump.mismatch user.anna acl: db {anna=lrswipkxtecdan}, dump {anna=lrs}",
        "dump.extra user.anna.Gone",
        "dump.missing user.anna.Sent",
      ])
    #expect(result.stdout.contains("mboxlist check: DIFFERS: "))
  }
}
