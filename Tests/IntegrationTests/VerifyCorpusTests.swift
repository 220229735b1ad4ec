import Foundation
import TestSupport
import Testing

/// End to end: the real-Cyrus example pair, failover copies made with real rsync, one fault
/// injected per test, and the complete set of findings asserted.
@Suite(.serialized) struct VerifyCorpusTests {
  func verify(_ corpus: Corpus, _ extra: [String] = []) throws -> (
    status: Int32, findings: [String], json: [String: Any]
  ) {
    try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover] + extra)
  }

  @Test func faithfulCopyIsConsistent() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let result = try verify(corpus)
    #expect(result.findings == [])
    #expect(result.status == 0)
    let meta = try verify(corpus, ["--level", "meta"])
    #expect(meta.status == 0 && meta.findings.isEmpty)
    // Every message file's SHA-1 equals the GUID real Cyrus recorded for it.
    let guid = try verify(corpus, ["--level", "guid"])
    #expect(guid.status == 0 && guid.findings.isEmpty)
  }

  @Test func missingMessageFile() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let victim = try #require(try corpus.messageFiles(linked: false).first)
    try FileManager.default.removeItem(atPath: corpus.failoverSpool + "/" + victim)
    let result = try verify(corpus)
    // The failover's own cyrus.index still lists the message: its Cyrus would serve a message
    // without its file.
    #expect(
      result.findings == [
        "file.missing partition-default:\(victim)",
        "message.file-missing partition-default:\(victim)",
      ])
    #expect(result.status == 1)
  }

  @Test func contentChangedWithSizeAndMtimeKept() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let victim = try #require(try corpus.messageFiles(linked: false).last)
    try BitRot.flipMiddleByte(of: corpus.failoverSpool + "/" + victim)
    #expect(try verify(corpus).findings == ["file.content-mismatch partition-default:\(victim)"])
    // What --level meta cannot see, by design: it reads no content.
    #expect(try verify(corpus, ["--level", "meta"]).findings == [])
    // --level guid finds it on the failover's own host: the file's SHA-1 is not its index GUID.
    let guid = try verify(corpus, ["--level", "guid"])
    #expect(guid.findings == ["message.guid-mismatch partition-default:\(victim)"])
    #expect(guid.status == 1)
  }

  @Test func messageFileCutShortOnTheFailover() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let victim = try #require(try corpus.messageFiles(linked: false).first)
    let handle = try #require(FileHandle(forWritingAtPath: corpus.failoverSpool + "/" + victim))
    try handle.truncate(atOffset: 10)
    try handle.close()
    let result = try verify(corpus)
    #expect(
      result.findings == [
        "file.size-mismatch partition-default:\(victim)",
        "message.size-mismatch partition-default:\(victim)",
      ])
  }

  @Test func damagedIndexOnTheFailover() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let message = try #require(try corpus.messageFiles(linked: false).first)
    let mailbox = (message as NSString).deletingLastPathComponent
    let index = corpus.failoverSpool + "/" + mailbox + "/cyrus.index"
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: index)))
    try #require(bytes.count > 170)
    bytes[165] ^= 0x01  // inside the first record: its CRC no longer matches
    let handle = try #require(FileHandle(forWritingAtPath: index))
    try handle.write(contentsOf: Data(bytes))
    try handle.close()
    let result = try verify(corpus)
    #expect(
      result.findings == [
        "file.content-mismatch partition-default:\(mailbox)/cyrus.index",
        "index.damaged partition-default:\(mailbox)/cyrus.index",
      ])
  }

  @Test func flagChangedInTheFailoverIndex() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let mailbox = try corpus.toggleFlaggedInFailoverIndex()
    let result = try verify(corpus)
    // The messages differ (index.mismatch); the header's \Flagged counter no longer matches the
    // records, which a reader sees on the failover (index.damaged).
    #expect(
      result.findings == [
        "index.damaged partition-default:\(mailbox)/cyrus.index",
        "index.mismatch partition-default:\(mailbox)/cyrus.index",
      ])
  }

  @Test func extraFile() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let mailbox = try #require(try corpus.mailboxDirectories().first)
    try Data("stray".utf8).write(
      to: URL(fileURLWithPath: corpus.failoverSpool + "/" + mailbox + "/999999."))
    #expect(
      try verify(corpus).findings == [
        "file.extra partition-default:\(mailbox)/999999.",
        "message.file-orphan partition-default:\(mailbox)/999999.",
      ])
  }

  @Test func wholeMailboxDirectoryMissing() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    // A leaf mailbox, so that no other mailbox lives below it.
    let mailboxes = try corpus.mailboxDirectories()
    let leaf = try #require(
      mailboxes.last { candidate in !mailboxes.contains { $0.hasPrefix(candidate + "/") } })
    try FileManager.default.removeItem(atPath: corpus.failoverSpool + "/" + leaf)
    let result = try verify(corpus)
    // The mailbox-list stage names the mailbox whose directory is gone.
    let mailbox = try #require(corpus.headerName(of: leaf))
    #expect(
      result.findings == [
        "directory.missing partition-default:\(leaf)",
        "mailbox.directory-missing \(mailbox) [failover]",
      ])
    let detail = (Tool.findingObjects(result.json).first?["detail"] as? String) ?? ""
    #expect(detail.contains("entries below"))
  }

  @Test func modeChanged() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let victim = try #require(try corpus.messageFiles(linked: false).first)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o644], ofItemAtPath: corpus.failoverSpool + "/" + victim)
    let result = try verify(corpus)
    #expect(result.findings == ["file.mode-mismatch partition-default:\(victim)"])
    let finding = Tool.findingObjects(result.json).first
    #expect(finding?["primary"] as? String == "0600")
    #expect(finding?["failover"] as? String == "0644")
  }

  @Test func symlinkPlantedPointingOutside() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let mailbox = try #require(try corpus.mailboxDirectories().first)
    try FileManager.default.createSymbolicLink(
      atPath: corpus.failoverSpool + "/" + mailbox + "/1000.", withDestinationPath: "/etc/shadow")
    let result = try verify(corpus)
    #expect(
      result.findings == [
        "file.extra partition-default:\(mailbox)/1000.",
        "message.file-orphan partition-default:\(mailbox)/1000.",
        "symlink.outside-area partition-default:\(mailbox)/1000.",
      ])
  }

  @Test func hardLinksBrokenByPlainRsync() throws {
    let corpus = try Corpus()
    try corpus.copyFailover(keepHardLinks: false)
    let linked = try corpus.messageFiles(linked: true)
    try #require(linked.count >= 2, "the corpus must hold single-instance-store hard links")
    // Group by inode; every member but the first in canonical order is reported.
    var groups: [UInt64: [String]] = [:]
    for path in linked {
      var info = stat()
      lstat(corpus.primarySpool + "/" + path, &info)
      groups[UInt64(info.st_ino), default: []].append(path)
    }
    let expected = groups.values.flatMap { members in
      members.sorted {
        $0.utf8.map { $0 == 0x2F ? 0 : Int($0) + 1 }.lexicographicallyPrecedes(
          $1.utf8.map { $0 == 0x2F ? 0 : Int($0) + 1 })
      }
      .dropFirst().map { "file.hardlink-mismatch partition-default:\($0)" }
    }
    let result = try verify(corpus)
    #expect(result.findings == expected.sorted())
    #expect(result.status == 1)
    #expect(
      try Tool.run([
        Tool.executable, "verify", "--primary", corpus.primary, "--failover", corpus.failover,
        "--fail-on", "error", "--no-progress",
      ]).status == 0)
  }

  @Test func backupUnderARootVerifiesAgainstTheLiveInstance() throws {
    let corpus = try Corpus()
    let backup = corpus.directory + "/opt/backup-cyrus"
    try FileManager.default.createDirectory(atPath: backup, withIntermediateDirectories: true)
    // The seed's section 4 backup: rsync -aR of the two directories (plus sievedir) into one folder.
    try Tool.must(
      ["rsync", "-aHR", "var/lib/cyrus", "var/spool/cyrus/mail", "var/spool/sieve", backup + "/"],
      in: corpus.primary)
    let result = try Tool.verify([
      "--primary", corpus.primary + "/etc/imapd.conf", "--primary-root", backup, "--failover",
      corpus.primary,
    ])
    #expect(result.findings == [])
    #expect(result.status == 0)
  }
}

@Suite struct CommandLineTests {
  @Test func missingConfigIsExitTwoNamingThePath() throws {
    let result = try Tool.run([
      Tool.executable, "verify", "--primary", "/nonexistent/imapd.conf", "--failover", "/tmp",
    ])
    #expect(result.status == 2)
    #expect(result.stderr.contains("/nonexistent/imapd.conf"))
    #expect(result.stdout.isEmpty)
  }

  @Test func partitionThatIsAFileIsExitTwoNamingIt() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    try FileManager.default.removeItem(atPath: corpus.failoverSpool)
    try Data("not a directory".utf8).write(to: URL(fileURLWithPath: corpus.failoverSpool))
    let result = try Tool.run([
      Tool.executable, "verify", "--primary", corpus.primary, "--failover", corpus.failover,
      "--no-progress",
    ])
    #expect(result.status == 2)
    #expect(result.stdout.contains("COULD NOT VERIFY COMPLETELY"))
    #expect(result.stdout.contains("directory.unlistable"))
    #expect(result.stdout.contains(corpus.failoverSpool))
  }

  @Test func usageErrorIsExitTwo() throws {
    let result = try Tool.run([Tool.executable, "verify", "--primary", "/x"])
    #expect(result.status == 2)
  }

  @Test func helpIsExitZeroOnStandardOutput() throws {
    let result = try Tool.run([Tool.executable, "verify", "--help"])
    #expect(result.status == 0)
    #expect(result.stdout.contains("--primary-root"))
  }
}
