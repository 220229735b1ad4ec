import CyrusStore
import Foundation
import TestSupport
import Testing

/// `--hash-jobs`: the real-Cyrus example pair read with one thread and with several gives the
/// same entries, the same findings and the same exit status, locally and over SSH.
@Suite(.serialized) struct HashJobsTests {
  /// A faithful copy whose failover has two message files changed in content (size and mtime
  /// kept): GUID mismatches ride on their mailbox's cyrus.header, after the files are read.
  func corpusWithChangedMessages() throws -> (Corpus, [String]) {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let victims = Array(try corpus.messageFiles(linked: false).suffix(2))
    for victim in victims {
      try BitRot.flipMiddleByte(of: corpus.failoverSpool + "/" + victim)
    }
    return (corpus, victims)
  }

  func entries(_ root: String, level: VerifyLevel, jobs: Int) throws -> [ManifestEntry] {
    let walker = InstanceWalker(
      instance: try CyrusInstance.locate(root), options: WalkOptions(level: level, hashJobs: jobs))
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return entries
  }

  @Test func walksOfTheCorpusAreTheSameWithOneOrFourThreads() throws {
    let (corpus, victims) = try corpusWithChangedMessages()
    for level in VerifyLevel.allCases {
      for root in [corpus.primary, corpus.failover] {
        let one = try entries(root, level: level, jobs: 1)
        let four = try entries(root, level: level, jobs: 4)
        #expect(four == one, "\(level) \(root)")
      }
    }
    let notes = try entries(corpus.failover, level: .guid, jobs: 4).flatMap(\.notes)
    #expect(notes.filter { $0.kind == .guidMismatch }.count == victims.count)
  }

  @Test func verifyReportsTheSameWithOneOrFourThreads() throws {
    let (corpus, victims) = try corpusWithChangedMessages()
    let sides = ["--primary", corpus.primary, "--failover", corpus.failover]
    for level in ["full", "guid"] {
      let one = try Tool.verify(sides + ["--level", level, "--hash-jobs", "1"])
      let four = try Tool.verify(sides + ["--level", level, "--hash-jobs", "4"])
      #expect(one.status == 1 && four.status == 1)
      #expect(four.findings == one.findings)
      let code = level == "full" ? "file.content-mismatch" : "message.guid-mismatch"
      #expect(
        one.findings.filter { $0.hasPrefix(code + " ") }
          == victims.map { "\(code) partition-default:\($0)" }.sorted())
    }
  }

  @Test func overSSHTheAgentReadsWithTheThreadsAsked() throws {
    let (corpus, _) = try corpusWithChangedMessages()
    let server = try SSHServer()
    let local = try Tool.verify([
      "--primary", corpus.primary, "--failover", corpus.failover, "--level", "guid",
      "--hash-jobs", "1",
    ])
    for jobs in ["1", "4"] {
      let remote = try Tool.verify([
        "--primary", corpus.primary, "--failover", "127.0.0.1:" + corpus.failover, "--level",
        "guid", "--hash-jobs", jobs, "--ssh", server.sshOption(), "--remote-command",
        Tool.executable,
      ])
      #expect(remote.status == local.status)
      #expect(remote.findings == local.findings)
    }
  }

  @Test func aSavedManifestIsTheSameWithOneOrFourThreads() throws {
    let (corpus, _) = try corpusWithChangedMessages()
    let saved = corpus.directory + "/four.cfm"
    try Tool.must([
      Tool.executable, "manifest", "--instance", corpus.primary, "--output", saved,
      "--hash-jobs", "4",
    ])
    let live = try Tool.verify([
      "--primary", corpus.primary, "--failover", corpus.failover, "--hash-jobs", "1",
    ])
    let fromFile = try Tool.verify([
      "--primary-manifest", saved, "--failover", corpus.failover, "--hash-jobs", "1",
    ])
    #expect(live.status == 1 && fromFile.status == 1)
    #expect(fromFile.findings == live.findings)
  }

  @Test(arguments: ["0", "65", "x"])
  func outOfRangeIsRefusedBeforeAnyWork(value: String) throws {
    let result = try Tool.run([
      Tool.executable, "verify", "--primary", "/nonexistent", "--failover", "/nonexistent",
      "--hash-jobs", value,
    ])
    #expect(result.status == 2)  // usage errors too (see Main)
    #expect(result.stderr.contains("hash-jobs"))
  }
}
