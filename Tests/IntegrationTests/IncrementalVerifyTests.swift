import Foundation
import TestSupport
import Testing

/// `verify --level incremental --cache DIR` end to end: it reports what `full` reports, names
/// its level in every report, finds a change that keeps size and mtime (the ctime tells), keeps
/// a remote side's cache on that host, and refuses what would not do what it says.
@Suite(.serialized) struct IncrementalVerifyTests {
  /// A fresh faithful pair and an empty cache directory beside it, old enough to be cached: a
  /// file changed less than 2 s before a walk is read, not cached.
  func pair() throws -> (Corpus, String) {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let cache = corpus.directory + "/cache"
    try FileManager.default.createDirectory(
      atPath: cache, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
    Thread.sleep(forTimeInterval: 2.2)
    return (corpus, cache)
  }

  /// The digest cache lines `--stats` prints, by side.
  func cacheLines(_ stderr: String) -> [String: String] {
    var lines: [String: String] = [:]
    for line in stderr.split(separator: "\n") where line.contains("digest cache:") {
      let side = line.contains("cyrus-failover: primary") ? "primary" : "failover"
      lines[side] = String(line)
    }
    return lines
  }

  @Test func findsWhatFullFindsAndReadsOnlyWhatChanged() throws {
    let (corpus, cache) = try pair()
    let sides = ["--primary", corpus.primary, "--failover", corpus.failover]
    let incremental = sides + ["--level", "incremental", "--cache", cache]
    let first = try Tool.run(
      [Tool.executable, "verify", "--format", "json", "--stats"] + incremental)
    #expect(first.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
    #expect(json?["level"] as? String == "incremental")
    #expect(cacheLines(first.stderr)["primary"]?.contains(" 0 files unchanged") == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 2)
    let second = try Tool.run([Tool.executable, "verify", "--stats"] + incremental)
    #expect(second.status == 0)
    #expect(second.stdout.contains("level incremental"))
    let reused = cacheLines(second.stderr)["failover"] ?? ""
    #expect(reused.contains(" 0 new or changed") && !reused.contains(" 0 files unchanged"))
    // Bit rot on the failover: size, mtime and mode kept, only the ctime moves.
    let victim = try #require(try corpus.messageFiles(linked: false).last)
    try BitRot.flipMiddleByte(of: corpus.failoverSpool + "/" + victim)
    let full = try Tool.verify(sides + ["--level", "full"])
    let after = try Tool.verify(incremental)
    #expect(full.status == 1 && after.status == 1)
    #expect(after.findings == full.findings)
    #expect(after.findings.contains { $0.hasPrefix("message.mismatch") || $0.contains(victim) })
    let junit = try Tool.run(
      [Tool.executable, "verify", "--format", "junit", "--no-progress"] + incremental)
    #expect(junit.stdout.contains("<property name=\"level\" value=\"incremental\"/>"))
  }

  /// Bit rot that leaves a file's key as the cache recorded it is invisible to a trusted
  /// record; `--scrub N` reads every file at least every N runs, so within N runs incremental
  /// reports what full reports.
  @Test(arguments: [2, 3])
  func scrubFindsBitRotWithinItsPeriod(scrub: Int) throws {
    let (corpus, cache) = try pair()
    let sides = ["--primary", corpus.primary, "--failover", corpus.failover]
    let incremental = sides + ["--level", "incremental", "--cache", cache, "--scrub", "\(scrub)"]
    #expect(try Tool.verify(incremental).status == 0)
    let victim = try #require(try corpus.messageFiles(linked: false).first)
    try DigestCacheBitRot.plant(
      victim, spool: corpus.failoverSpool, instance: corpus.failover, cacheDirectory: cache)
    let full = try Tool.verify(sides + ["--level", "full"])
    #expect(full.status == 1)
    #expect(full.findings.contains { $0.contains(victim) })
    var found = 0
    for run in 1...scrub {
      let result = try Tool.verify(incremental)
      if result.status == 1 {
        #expect(result.findings == full.findings)
        found = run
        break
      }
      // Not yet its turn: the trusted record hides the rot, and nothing else is reported.
      #expect(result.status == 0 && result.findings.isEmpty)
    }
    #expect(found > 0, "not found within \(scrub) runs of --scrub \(scrub)")
  }

  @Test func remoteSideKeepsItsCacheOnItsHost() throws {
    let server = try SSHServer()
    let (corpus, cache) = try pair()
    let arguments = [
      "--primary", corpus.primary, "--failover", "127.0.0.1:" + corpus.failover, "--level",
      "incremental", "--cache", cache, "--ssh", server.sshOption(), "--remote-command",
      Tool.executable,
    ]
    let first = try Tool.verify(arguments)
    let second = try Tool.verify(arguments)
    #expect(first.status == 0 && second.status == 0)
    #expect(second.json["level"] as? String == "incremental")
    // The agent, not pinned, keeps the failover's cache in the directory asked for, on its host
    // (this one): one file per instance.
    #expect(try FileManager.default.contentsOfDirectory(atPath: cache).count == 2)
  }

  @Test func refusesWhatWouldNotDoWhatItSays() throws {
    let corpus = try Corpus()
    let sides = ["verify", "--primary", corpus.primary, "--failover", corpus.failover]
    let inside = corpus.primarySpool + "/digest-cache"
    let cases: [([String], String)] = [
      (["--level", "incremental"], "--cache"),
      (["--level", "meta", "--cache", corpus.directory + "/c"], "--cache applies"),
      (["--level", "full", "--cache", corpus.directory + "/c", "--scrub", "3"], "--scrub applies"),
      (["--level", "incremental", "--cache", corpus.directory + "/c", "--scrub", "0"], "--scrub"),
      (
        [
          "--level", "incremental", "--cache", corpus.directory + "/c", "--sign-off",
          corpus.directory + "/s",
        ],
        "--sign-off"
      ),
      // A spool directory of Cyrus's own, and one that does not exist yet.
      (
        ["--level", "incremental", "--cache", corpus.primarySpool + "/c"],
        "outside every Cyrus tree"
      ),
      (["--level", "incremental", "--cache", inside], "outside every Cyrus tree"),
    ]
    for (extra, message) in cases {
      let result = try Tool.run([Tool.executable] + sides + extra)
      #expect(result.status == 2, "\(extra)")
      #expect(result.stderr.contains(message), "\(extra): \(result.stderr)")
    }
    // Refused before it was made: nothing was written in the spool.
    #expect(!FileManager.default.fileExists(atPath: inside))
  }

  /// With `--progress` into a pipe, progress lines go to standard error only: standard output
  /// is still exactly the JSON report.
  @Test func progressNeverReachesStandardOutput() throws {
    let (corpus, cache) = try pair()
    let result = try Tool.run([
      Tool.executable, "verify", "--format", "json", "--progress", "--primary", corpus.primary,
      "--failover", corpus.failover, "--level", "incremental", "--cache", cache,
    ])
    #expect(result.status == 0)
    let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
    #expect(json?["summary"] != nil)
    #expect(result.stderr.contains("primary ") && result.stderr.contains(" files"))
  }
}
