import Foundation
import Testing

/// The shipped example pair against its human-readable expectation file
/// (corpora/example.expected.txt, written by scripts/make-corpus.sh from the trees themselves).
@Suite struct ExamplePairTests {
  /// The broken hard-link groups listed in the expectation file, each as its paths.
  func expectedGroups() throws -> [[String]] {
    let text = try String(
      contentsOfFile: Tool.repository + "/corpora/example.expected.txt", encoding: .utf8)
    var groups: [[String]] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      if line.hasPrefix("group ") { groups.append([]) }
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      if trimmed.hasPrefix("partition-default: "), !groups.isEmpty {
        let path =
          trimmed.dropFirst("partition-default: ".count).split(separator: " ").first.map(
            String.init) ?? ""
        groups[groups.count - 1].append(path)
      }
    }
    return groups
  }

  @Test func shippedPairReportsExactlyTheExpectedBrokenLinks() throws {
    let corpus = try Corpus()
    let groups = try expectedGroups()
    #expect(groups.count == 2)
    let canonical: (String, String) -> Bool = { left, right in
      left.utf8.map { $0 == 0x2F ? 0 : Int($0) + 1 }.lexicographicallyPrecedes(
        right.utf8.map { $0 == 0x2F ? 0 : Int($0) + 1 })
    }
    let expected = groups.flatMap { $0.sorted(by: canonical).dropFirst() }.map {
      "file.hardlink-mismatch partition-default:\($0)"
    }
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings == expected.sorted())
    #expect(result.status == 1)
  }

  @Test func failoverWithoutTheSieveDirectoryIsReported() throws {
    // The seed procedure copies /var/lib/cyrus and /var/spool/cyrus only, not sievedir.
    let corpus = try Corpus()
    try corpus.copyFailover()
    try FileManager.default.removeItem(atPath: corpus.failover + "/var/spool/sieve")
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(result.findings == ["directory.missing sieve:"])
    #expect(result.status == 1)
  }

  @Test func textReportGroupsByMailbox() throws {
    let corpus = try Corpus()
    let result = try Tool.run([
      Tool.executable, "verify", "--primary", corpus.primary, "--failover", corpus.failover,
      "--no-progress",
    ])
    #expect(result.status == 1)
    #expect(result.stdout.hasPrefix("cyrus-failover verify: DIFFERENCES FOUND"))
    #expect(result.stdout.contains("\nmailbox user.anna\n"))
    #expect(result.stdout.contains("\nmailbox user.carla\n"))
  }
}
