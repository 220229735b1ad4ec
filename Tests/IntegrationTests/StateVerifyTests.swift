import CyrusFormats
import CyrusStore
import Foundation
import Testing

/// Seen databases and subscription lists compared by meaning on the real-Cyrus pair.
@Suite(.serialized) struct StateVerifyTests {
  func find(_ name: String, in corpus: Corpus) throws -> String {
    let root = corpus.failover + "/var/lib/cyrus"
    guard let enumerator = FileManager.default.enumerator(atPath: root) else {
      throw ToolError(message: "no config dir")
    }
    for case let relative as String in enumerator
    where (relative as NSString).lastPathComponent == name {
      return relative
    }
    throw ToolError(message: "no \(name) in the corpus")
  }

  func records(_ path: String) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try CyrusDatabaseFile(path: path).forEachRecord { records.append($0) }
    return records
  }

  /// Rewrites a file as a flat cyrusdb in place (inode, mode and owner kept).
  func overwriteFlat(_ path: String, _ records: [CyrusDBRecord]) throws {
    var bytes: [UInt8] = []
    for record in records {
      bytes +=
        FlatReader<[UInt8]>.encode(record.key) + [0x09] + FlatReader<[UInt8]>.encode(record.value)
        + [0x0A]
    }
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
  }

  @Test func seenDatabaseInAnotherBackendMeansTheSame() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try find("seen.db", in: corpus)
    let path = corpus.failover + "/var/lib/cyrus/" + relative
    try overwriteFlat(path, try records(path))
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings == ["state.rewritten config:\(relative)"])
    #expect(result.status == 0)
  }

  @Test func seenSetChangedOnTheFailover() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try find("seen.db", in: corpus)
    let path = corpus.failover + "/var/lib/cyrus/" + relative
    var all = try records(path)
    let first = try #require(all.first)
    let value = try SeenValue(parsing: first.value)
    // The same mailbox, one more UID seen: written in another order to show sets are compared.
    let changed =
      "1 \(value.lastRead) \(value.lastUID + 1) \(value.lastChange) \(value.seen.description.isEmpty ? "" : value.seen.description + ",")\(value.lastUID + 1)"
    all[0].value = Array(changed.utf8)
    try overwriteFlat(path, all)
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    // The seen difference explains the file's size: one finding.
    #expect(result.findings == ["seen.mismatch config:\(relative)"])
    #expect(result.status == 1)
  }

  @Test func subscriptionDroppedOnTheFailover() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try corpus.dropFailoverSubscription()
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings == ["subscriptions.mismatch config:\(relative)"])
  }

  /// Rewrites the failover's quota file for user.carla with `change` applied to its text.
  func changeQuota(_ corpus: Corpus, _ change: (String) -> String) throws -> String {
    let relative = "quota/c/user.carla"
    let path = corpus.failover + "/var/lib/cyrus/" + relative
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let changed = change(text)
    try #require(changed != text, "the quota file did not have the expected form: \(text)")
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 0)
    try handle.write(contentsOf: Data(changed.utf8))
    try handle.close()
    return relative
  }

  @Test func quotaLimitChangedOnTheFailover() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    // %(S (used limit) …): double the storage limit.
    let relative = try changeQuota(corpus) { text in
      guard let range = text.range(of: #"S \(\d+ (\d+)\)"#, options: .regularExpression) else {
        return text
      }
      let parts = text[range].dropFirst(3).dropLast().split(separator: " ")
      return text.replacingCharacters(
        in: range, with: "S (\(parts[0]) \((Int(parts[1]) ?? 0) * 2))")
    }
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings.contains("quota.mismatch config:\(relative)"))
    #expect(!result.findings.contains("quota.usage-mismatch config:\(relative)"))
    #expect(result.status == 1)
  }

  @Test func quotaUsageChangedOnTheFailoverIsAWarning() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try changeQuota(corpus) { text in
      guard let range = text.range(of: #"S \((\d+)"#, options: .regularExpression) else {
        return text
      }
      let used = Int(text[range].dropFirst(3)) ?? 0
      return text.replacingCharacters(in: range, with: "S (\(used + 1)")
    }
    let result = try Tool.verify([
      "--primary", corpus.primary, "--failover", corpus.failover, "--fail-on", "error",
    ])
    #expect(result.findings.contains("quota.usage-mismatch config:\(relative)"))
    #expect(!result.findings.contains("quota.mismatch config:\(relative)"))
  }

  @Test func damagedSeenDatabaseIsReportedOnItsSide() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let relative = try find("seen.db", in: corpus)
    let path = corpus.failover + "/var/lib/cyrus/" + relative
    let handle = try #require(FileHandle(forWritingAtPath: path))
    try handle.truncate(atOffset: 100)
    try handle.close()
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings.contains("state.damaged config:\(relative)"))
    #expect(result.findings.contains("file.size-mismatch config:\(relative)"))
    #expect(result.status == 1)
  }
}
