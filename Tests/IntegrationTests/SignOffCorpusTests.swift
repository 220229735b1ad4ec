import Foundation
import TestSupport
import Testing

/// `verify --sign-off`, `verify-sign-off` and `promote` on the example pair made by a real
/// Cyrus 3.6 (no server needed: promote gets a start and a status command of the test's own):
/// a signed sign-off checks out and every change to it is caught; promote refuses a sign-off it
/// cannot trust, saying why, and starts only on a sound one.
@Suite struct SignOffCorpusTests {
  /// `verify --sign-off DIR` of the corpus's primary and failover.
  static func signOff(_ corpus: Corpus, _ directory: String, _ extra: [String] = []) throws
    -> TestPrograms.Result
  {
    try Tool.run(
      [
        Tool.executable, "verify", "--primary", corpus.primary, "--failover", corpus.failover,
        "--sign-off", directory, "--no-progress",
      ] + extra)
  }

  @Test func aSignedSignOffChecksOutAndEveryChangeToItIsCaught() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let directory = corpus.directory + "/signoff"
    let (key, allowed) = try SignOffFiles.key(in: corpus.directory)
    let made = try Self.signOff(corpus, directory, ["--sign-key", key])
    #expect(made.status == 0, "\(made.stderr)")
    for name in ["signoff.json", "signoff.json.sig", "signoff.html", "primary.cfm", "failover.cfm"]
    {
      #expect(FileManager.default.fileExists(atPath: directory + "/" + name), "no \(name)")
    }
    let signers = ["--allowed-signers", allowed, "--identity", SignOffFiles.identity]
    func check(_ extra: [String] = signers, at place: String = directory) throws
      -> TestPrograms.Result
    {
      try Tool.run([Tool.executable, "verify-sign-off", place] + extra)
    }
    let good = try check()
    #expect(good.status == 0, "\(good.stdout)")
    #expect(good.stdout.contains("SOUND (verdict consistent"))
    #expect(good.stdout.contains("Good \"cyrus-failover-signoff\" signature for admin@example.org"))
    // Another identity's signature is not this one's.
    let stranger = try check(["--allowed-signers", allowed, "--identity", "eve@example.org"])
    #expect(stranger.status == 2 && stranger.stdout.contains("FAIL signature"))

    // The report edited after signing: the counts still agree, only the signature tells.
    let edited = corpus.directory + "/edited"
    try SignOffFiles.copy(directory, to: edited)
    try SignOffFiles.edit(
      edited + "/signoff.json", "\"made_by\" : \"verify\"", "\"made_by\" : \"sync\"")
    let caught = try check(at: edited)
    #expect(caught.status == 2)
    #expect(
      caught.stdout.contains("FAIL signature: the signature")
        && caught.stdout.contains("does not verify"))
    #expect(try check([], at: edited).status == 0, "without a signature check the edit passes")

    // A verdict edited by hand does not follow from the report's counts, signature or not.
    let verdict = corpus.directory + "/verdict"
    try SignOffFiles.copy(directory, to: verdict)
    try SignOffFiles.edit(verdict + "/signoff.json", "\"total\" : 2", "\"total\" : 3")
    let counts = try check([], at: verdict)
    #expect(counts.status == 2 && counts.stdout.contains("FAIL counts"), "\(counts.stdout)")

    // A manifest changed after the sign-off: a byte added, or the file cut short.
    let grown = corpus.directory + "/grown"
    try SignOffFiles.copy(directory, to: grown)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: grown + "/failover.cfm"))
    try handle.seekToEnd()
    try handle.write(contentsOf: Data([0]))
    try handle.close()
    let changed = try check(at: grown)
    #expect(changed.status == 2)
    #expect(
      changed.stdout.contains("FAIL manifest.failover") && changed.stdout.contains("its SHA-256 is")
    )
    let cut = corpus.directory + "/cut"
    try SignOffFiles.copy(directory, to: cut)
    try FileHandle(forWritingTo: URL(fileURLWithPath: cut + "/primary.cfm")).truncate(atOffset: 500)
    let truncated = try check(at: cut)
    #expect(truncated.status == 2 && truncated.stdout.contains("FAIL manifest.primary"))

    // The report itself cut short.
    let short = corpus.directory + "/short"
    try SignOffFiles.copy(directory, to: short)
    try FileHandle(forWritingTo: URL(fileURLWithPath: short + "/signoff.json")).truncate(
      atOffset: 300)
    let unreadable = try check(at: short)
    #expect(unreadable.status == 2)
    #expect(unreadable.stdout.contains("FAIL sign-off") && unreadable.stdout.contains("not JSON"))
  }

  @Test func theHTMLPageShowsTheVerdictAndEveryFinding() throws {
    // The shipped failover: the three hard links the seed's rsync -a broke, and more.
    let corpus = try Corpus()
    let chmod = try #require(try corpus.messageFiles(linked: false).first)
    try FileManager.default.setAttributes(
      [.posixPermissions: 0o644], ofItemAtPath: corpus.failoverSpool + "/" + chmod)
    let directory = corpus.directory + "/signoff"
    let made = try Self.signOff(corpus, directory, ["--max-detail", "100"])
    #expect(made.status == 1, "\(made.stderr)")
    let signOff = try SignOffFiles.json(directory)
    let listed = SignOffFiles.listedFindings(signOff)
    let findings = try #require(signOff["findings"] as? [String: Any])
    #expect(listed.count == findings["total"] as? Int, "every finding is listed")
    #expect(listed.filter { $0.hasPrefix("file.hardlink-mismatch ") }.count == 3)
    #expect(listed.contains("file.mode-mismatch partition-default:\(chmod)"))
    let page = try SignOffFiles.page(directory)
    #expect(page.errors == [])
    #expect(page.verdict == "Verdict: differences (exit status 1)")
    #expect(page.findings == listed)
    #expect(page.manifests == 2)
  }

  @Test func promoteRefusesWhatItCannotTrustAndStartsOnASoundSignOff() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let directory = corpus.directory + "/signoff"
    let (key, allowed) = try SignOffFiles.key(in: corpus.directory)
    #expect(try Self.signOff(corpus, directory, ["--sign-key", key]).status == 0)
    let started = corpus.directory + "/started"
    func promote(
      _ signOff: String = directory, failover: String? = nil, _ extra: [String] = []
    ) throws -> TestPrograms.Result {
      try Tool.run(
        [
          Tool.executable, "promote", "--failover", failover ?? corpus.failover, "--sign-off",
          signOff, "--failover-start", "touch \(started)", "--failover-status",
          "test -e \(started)",
        ] + extra)
    }
    func refused(_ result: TestPrograms.Result, _ check: String, _ words: String) {
      #expect(result.status == 2, "\(result.stdout)")
      #expect(result.stdout.contains("REFUSED"), "\(result.stdout)")
      #expect(
        result.stdout.contains("REFUSE \(check): ") && result.stdout.contains(words),
        "\(result.stdout)")
      #expect(!FileManager.default.fileExists(atPath: started))
    }
    // A sign-off of another pair of instances, and this sign-off on the primary.
    let other = try Corpus()
    try other.copyFailover()
    refused(
      try promote(failover: other.failover), "same-failover",
      "the sign-off is for another failover: imapd.conf")
    refused(try promote(failover: corpus.primary), "same-failover", "another failover")
    // Written by another version of the tool.
    let version = corpus.directory + "/version"
    try SignOffFiles.copy(directory, to: version)
    try SignOffFiles.edit(
      version + "/signoff.json", "\"tool_version\" : \"0.1.0\"", "\"tool_version\" : \"0.0.9\"",
      last: true)
    refused(try promote(version), "tool-version", "written by cyrus-failover 0.0.9")
    // Cut short.
    let short = corpus.directory + "/short"
    try SignOffFiles.copy(directory, to: short)
    try FileHandle(forWritingTo: URL(fileURLWithPath: short + "/signoff.json")).truncate(
      atOffset: 200)
    refused(try promote(short), "sign-off", "not JSON")
    // Its failover manifest replaced.
    let replaced = corpus.directory + "/replaced"
    try SignOffFiles.copy(directory, to: replaced)
    try FileManager.default.removeItem(atPath: replaced + "/failover.cfm")
    try FileManager.default.copyItem(
      atPath: replaced + "/primary.cfm", toPath: replaced + "/failover.cfm")
    refused(try promote(replaced), "manifest.failover", "changed after the sign-off")
    // Edited after it was signed, with the signature checked.
    let edited = corpus.directory + "/edited"
    try SignOffFiles.copy(directory, to: edited)
    try SignOffFiles.edit(edited + "/signoff.json", "\"level\" : \"full\"", "\"level\" : \"meta\"")
    let signers = ["--allowed-signers", allowed, "--identity", SignOffFiles.identity]
    refused(try promote(edited, signers), "signature", "does not verify")
    // A sign-off whose verdict is differences (a mode changed on the failover, then put back).
    let differences = corpus.directory + "/differences"
    let victim = corpus.failoverSpool + "/" + (try #require(try corpus.messageFiles().first))
    let mode = try #require(
      try FileManager.default.attributesOfItem(atPath: victim)[.posixPermissions] as? Int)
    try FileManager.default.setAttributes([.posixPermissions: 0o604], ofItemAtPath: victim)
    #expect(try Self.signOff(corpus, differences).status == 1)
    refused(try promote(differences), "verdict", "the sign-off's verdict is differences")
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: victim)

    // The sound one: what it would do, then done.
    let plan = try promote(directory, signers)
    #expect(plan.status == 0, "\(plan.stdout)")
    #expect(plan.stdout.contains("WOULD START") && !plan.stdout.contains("REFUSE "))
    #expect(plan.stdout.contains("ok     unchanged: "))
    #expect(!FileManager.default.fileExists(atPath: started))
    let done = try promote(directory, signers + ["--execute"])
    #expect(done.status == 0, "\(done.stdout) \(done.stderr)")
    #expect(done.stdout.hasPrefix("cyrus-failover promote: STARTED"))
    #expect(FileManager.default.fileExists(atPath: started))
    // Now it runs: a second promotion has nothing to start.
    let again = try promote(directory, signers + ["--execute"])
    #expect(again.status == 2 && again.stdout.contains("REFUSE failover-stopped: "))
    #expect(again.stdout.contains("runs already (`test -e \(started)` says it runs)"))
  }
}
