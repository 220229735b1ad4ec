import Foundation
import TestSupport
import Testing

/// The example pair is owned by this machine's `cyrus` user and `mail` group after extraction,
/// whatever ids they had where it was packed (issue 9). The archive below is the example's
/// primary re-packed as if on a machine where `cyrus` and `mail` had other numbers.
@Suite struct CorpusOwnershipTests {
  /// This machine's uid of `cyrus` and gid of `mail`.
  func localIDs() throws -> (uid: uid_t, gid: gid_t) {
    guard let user = getpwnam("cyrus"), let group = getgrnam("mail") else {
      throw ToolError(
        message: "no cyrus user or mail group (scripts/setup.sh installs cyrus-imapd)")
    }
    return (user.pointee.pw_uid, group.pointee.gr_gid)
  }

  /// The example's primary in a tarball whose `cyrus:mail` files carry foreign numbers.
  func foreignArchive(in directory: String) throws -> (archive: String, uid: uid_t) {
    let (uid, gid) = try localIDs()
    let foreignUID = uid + 4000
    let foreignGID = gid + 4000
    let plain = directory + "/plain"
    try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
    try CorpusArchive.extract(into: plain)
    try Data("cyrus cyrus:\(foreignUID)\n".utf8).write(
      to: URL(fileURLWithPath: directory + "/owners"))
    try Data("mail mail:\(foreignGID)\n".utf8).write(
      to: URL(fileURLWithPath: directory + "/groups"))
    let archive = directory + "/foreign.tar.gz"
    try Tool.must([
      "tar", "-C", plain, "--owner-map=\(directory)/owners", "--group-map=\(directory)/groups",
      "-czf", archive, "primary",
    ])
    return (archive, foreignUID)
  }

  /// A seen database of the primary, absolute.
  func seenDatabase(under root: String) throws -> String {
    let config = root + "/primary/var/lib/cyrus"
    let enumerator = try #require(FileManager.default.enumerator(atPath: config))
    for case let relative as String in enumerator
    where (relative as NSString).lastPathComponent == "seen.db" {
      return config + "/" + relative
    }
    throw ToolError(message: "no seen.db in the example primary")
  }

  func owner(_ path: String) throws -> (uid: uid_t, gid: gid_t) {
    var info = stat()
    guard lstat(path, &info) == 0 else { throw ToolError(message: "cannot stat \(path)") }
    return (info.st_uid, info.st_gid)
  }

  /// `cyr_dbtool … show` on a scratch configuration: exits 0 only if the cyrus user can open it.
  func showAsCyrus(_ database: String, scratch: String) throws -> Tool.Result {
    let config = scratch + "/imapd.conf"
    try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
    try Data("configdirectory: \(scratch)\n".utf8).write(to: URL(fileURLWithPath: config))
    return try Tool.run([CyrDBTool.executable, "-C", config, database, "twoskip", "show"])
  }

  @Test func foreignIDsAreMappedToTheLocalCyrusUser() throws {
    let work = try TemporaryDirectory()
    let (archive, foreignUID) = try foreignArchive(in: work.path)
    let (uid, gid) = try localIDs()

    let extracted = work.path + "/extracted"
    try FileManager.default.createDirectory(atPath: extracted, withIntermediateDirectories: true)
    try CorpusArchive.extract(archive, into: extracted)
    let seen = try seenDatabase(under: extracted)
    #expect(try owner(seen) == (uid, gid))
    #expect(try owner(extracted + "/primary/var/spool/cyrus/mail") == (uid, gid))
    #expect(try owner(extracted + "/primary/etc/imapd.conf") == (0, 0))
    let shown = try showAsCyrus(seen, scratch: work.path + "/cyr_dbtool")
    #expect(shown.status == 0, "\(shown.stderr)")
    #expect(!shown.stdout.isEmpty)

    // What the tests did before: numbers kept, so the spool belongs to nobody Cyrus runs as.
    let numeric = work.path + "/numeric"
    try FileManager.default.createDirectory(atPath: numeric, withIntermediateDirectories: true)
    try Tool.must(["tar", "-xzpf", archive, "-C", numeric, "--same-owner", "--numeric-owner"])
    let numericSeen = try seenDatabase(under: numeric)
    #expect(try owner(numericSeen).uid == foreignUID)
    let refused = try showAsCyrus(numericSeen, scratch: work.path + "/cyr_dbtool-numeric")
    #expect(refused.status != 0)
  }

  /// Ownership differences a test plants after extraction stay differences: the pair is the
  /// local `cyrus:mail` on both sides, so one message file given to `nobody` on the failover
  /// is exactly one `file.owner-mismatch`, with both owners as values.
  @Test func anOwnerPlantedAfterExtractionIsTheOnlyDifference() throws {
    let corpus = try Corpus()
    try corpus.copyFailover()
    let clean = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(clean.status == 0, "\(clean.findings)")
    let message = try #require(try corpus.messageFiles(linked: false).first)
    let nobody = try #require(getpwnam("nobody")).pointee.pw_uid
    try #require(lchown(corpus.failoverSpool + "/" + message, nobody, gid_t.max) == 0)

    let planted = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(planted.status == 1)
    #expect(planted.findings == ["file.owner-mismatch partition-default:\(message)"])
    let finding = try #require(Tool.findingObjects(planted.json).first)
    let cyrus = try localIDs().uid
    #expect(finding["primary"] as? String == "cyrus (\(cyrus))", "\(finding)")
    #expect(finding["failover"] as? String == "nobody (\(nobody))", "\(finding)")
  }
}
