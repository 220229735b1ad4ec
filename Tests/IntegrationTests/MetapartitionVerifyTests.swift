import Foundation
import TestSupport
import Testing

/// A metapartition layout (`metapartition-default` with `metapartition_files`): each mailbox's
/// cyrus.* files live under the metapartition, its message files under the partition, at the
/// same relative path. Made from the real-Cyrus pair by moving the files where Cyrus 3.6 puts
/// them with these settings (imap/mboxname.c `mboxname_datapath` / `mboxname_metapath`).
@Suite(.serialized) struct MetapartitionVerifyTests {
  static let metaRoot = "/var/spool/cyrus/meta"

  /// Moves every `cyrus.*` file of `root`'s spool to the metapartition (directories made with
  /// the same modes and owners by rsync) and names the metapartition in imapd.conf.
  func splitMetadata(root: String) throws {
    let spool = root + "/var/spool/cyrus/mail"
    let meta = root + Self.metaRoot
    try Tool.must([
      "rsync", "-a", "--include=*/", "--include=cyrus.*", "--exclude=*", spool + "/", meta + "/",
    ])
    try Tool.must(["find", spool, "-type", "f", "-name", "cyrus.*", "-delete"])
    let conf = root + "/etc/imapd.conf"
    let handle = try #require(FileHandle(forWritingAtPath: conf))
    try handle.seekToEnd()
    try handle.write(
      contentsOf: Data(
        ("metapartition-default: \(Self.metaRoot)\n"
          + "metapartition_files: header index cache expunge squat annotations\n").utf8))
    try handle.close()
  }

  func splitCorpus() throws -> Corpus {
    let corpus = try Corpus()
    try corpus.copyFailover()
    try splitMetadata(root: corpus.primary)
    try splitMetadata(root: corpus.failover)
    return corpus
  }

  @Test func faithfulCopyIsConsistentAtEveryLevel() throws {
    let corpus = try splitCorpus()
    for level in ["meta", "guid", "full"] {
      let result = try Tool.verify([
        "--primary", corpus.primary, "--failover", corpus.failover, "--level", level,
      ])
      #expect(result.findings == [], "level \(level)")
      #expect(result.status == 0, "level \(level)")
    }
  }

  @Test func messageFileMissingFromThePartitionIsFoundThroughTheMetapartitionIndex() throws {
    let corpus = try splitCorpus()
    let message = try #require(try corpus.messageFiles(linked: false).first)
    try FileManager.default.removeItem(atPath: corpus.failoverSpool + "/" + message)
    let result = try Tool.verify(["--primary", corpus.primary, "--failover", corpus.failover])
    #expect(
      result.findings == [
        "file.missing partition-default:\(message)",
        "message.file-missing partition-default:\(message)",
      ])
    #expect(result.status == 1)
  }

  @Test func bitRotInAMessageIsFoundAgainstTheMetapartitionGUID() throws {
    let corpus = try splitCorpus()
    let message = try #require(try corpus.messageFiles(linked: false).first)
    try BitRot.flipMiddleByte(of: corpus.failoverSpool + "/" + message)
    let result = try Tool.verify([
      "--primary", corpus.primary, "--failover", corpus.failover, "--level", "guid",
    ])
    #expect(result.findings.contains { $0.hasPrefix("message.guid-mismatch ") })
    #expect(result.status == 1)
  }
}
