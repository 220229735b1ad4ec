import CyrusFormats
import CyrusStore
import Foundation
import Testing

/// The migration proof: a dump in upstream Cyrus 2.2 format (`name TAB partition TAB acl`,
/// which 3.6 rejects), converted with `mboxlist convert`, loaded into a REAL Cyrus 3.6.1 with
/// Debian's `ctl_mboxlist -u`, and read back twice: with 3.6's own `ctl_mboxlist -d` and with
/// our reader of the mailboxes.db 3.6 wrote.
///
/// Each test uses a throwaway config directory and partition under a temporary directory owned
/// by `cyrus` (Cyrus's tools setuid to cyrus when run as root), with its own imapd.conf passed
/// with `-C`. /etc/imapd.conf and /var/lib/cyrus are never touched.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: Binary.cyrusBin + "ctl_mboxlist")))
struct ImportIntoCyrus36Tests {
  /// What an upstream 2.2.13 `ctl_mboxlist -d` prints (2.2.13 cyrus/imap/ctl_mboxlist.c:190).
  static let upstream22Dump = """
    shared.news\tdefault\tanyone\tlrs\tanna\tlrswipcda\t
    user.anna\tdefault\tanna\tlrswipcda\t
    user.anna.Sent\tdefault\tanna\tlrswipcda\t
    user.bert\tdefault\tbert\tlrswipcda\tanna\tlr\t

    """

  /// Expected after the round trip: name → (partition, ACL as identifier → rights set).
  static let expected: [String: [String: ACLRights]] = [
    "shared.news": [
      "anyone": ACLRights.parse("lrs").rights, "anna": ACLRights.parse("lrswipkxtecda").rights,
    ],
    "user.anna": ["anna": ACLRights.parse("lrswipkxtecda").rights],
    "user.anna.Sent": ["anna": ACLRights.parse("lrswipkxtecda").rights],
    "user.bert": [
      "bert": ACLRights.parse("lrswipkxtecda").rights, "anna": ACLRights.parse("lr").rights,
    ],
  ]

  /// A throwaway 3.6 instance: imapd.conf, config directory and partition, owned by cyrus.
  final class Instance {
    let scratch: Scratch
    var conf: String { scratch.path + "/imapd.conf" }
    var configDirectory: String { scratch.path + "/conf" }

    init() throws {
      scratch = try Scratch()
      try FileManager.default.createDirectory(
        atPath: scratch.path + "/conf", withIntermediateDirectories: true)
      try FileManager.default.createDirectory(
        atPath: scratch.path + "/spool", withIntermediateDirectories: true)
      try scratch.write(
        "imapd.conf",
        "configdirectory: \(scratch.path)/conf\npartition-default: \(scratch.path)/spool\nhashimapspool: true\nunixhierarchysep: no\n"
      )
      _ = try Binary.must(["/bin/chown", "-R", "cyrus:mail", scratch.path])
      _ = try Binary.must(["/bin/chmod", "755", scratch.path])
    }

    /// `ctl_mboxlist -u [-L] -C conf < file`; it exits 0 even when it skips lines, so its
    /// standard error is returned for the test to check.
    func undump(_ file: String, legacy: Bool) throws -> String {
      let result = try Binary.must(
        [Binary.cyrusBin + "ctl_mboxlist", "-C", conf, "-u"] + (legacy ? ["-L"] : []), stdin: file)
      return result.stderr
    }

    /// `ctl_mboxlist -d -C conf`, parsed with our dump parser.
    func dump() throws -> [MailboxEntry] {
      let result = try Binary.must([Binary.cyrusBin + "ctl_mboxlist", "-C", conf, "-d"])
      let parsed = try MailboxListDump.parse(result.output)
      #expect(parsed.format == .cyrus36)
      return parsed.entries
    }
  }

  /// name → ACL as sets, and every partition.
  static func summary(_ entries: [MailboxEntry]) -> [String: [String: ACLRights]] {
    var result: [String: [String: ACLRights]] = [:]
    for e in entries {
      #expect(e.partition == "default", "\(e.name)")
      #expect(e.acl.entries.allSatisfy { $0.unknownRights.isEmpty })
      result[e.name.internalName] = Dictionary(
        e.acl.entries.map { ($0.identifier, $0.rights) }, uniquingKeysWith: { $1 })
    }
    return result
  }

  @Test func upstream22DumpIsRejectedUnconverted() throws {
    let instance = try Instance()
    let raw = try instance.scratch.write("upstream22.txt", Self.upstream22Dump)
    let legacyErrors = try instance.undump(raw, legacy: true)
    #expect(legacyErrors.contains("no partition found"))
    let jsonErrors = try instance.undump(raw, legacy: false)
    #expect(jsonErrors.contains("parse error"))
    #expect(try instance.dump().isEmpty)
  }

  @Test func convertedToCyrus23LoadsWithMinusL() throws {
    let instance = try Instance()
    let raw = try instance.scratch.write("upstream22.txt", Self.upstream22Dump)
    let converted = instance.scratch.path + "/converted.txt"
    let convert = try Binary.tool(["mboxlist", "convert", "--to", "cyrus23", raw, converted])
    #expect(convert.status == 0, "\(convert.stderr)")
    #expect(convert.stderr.contains("read as cyrus22, 4 entries"))
    #expect(
      try instance.scratch.read("converted.txt")
        == Array(
          """
          shared.news\t0 default anyone\tlrs\tanna\tlrswipcda\t
          user.anna\t0 default anna\tlrswipcda\t
          user.anna.Sent\t0 default anna\tlrswipcda\t
          user.bert\t0 default bert\tlrswipcda\tanna\tlr\t

          """.utf8))
    #expect(try instance.undump(converted, legacy: true).isEmpty)

    let dumped = try instance.dump()
    #expect(Self.summary(dumped) == Self.expected)
    // -L loads no uniqueid and no `l` flag (§2.7 of the formats reference).
    #expect(dumped.allSatisfy { $0.uniqueID == nil && $0.type.cyrus36Letters == "e" })

    let list = try MailboxList.read(path: instance.configDirectory + "/mailboxes.db")
    #expect(list.kind == .twoskip)
    #expect(list.layout == .keyspaces36)
    #expect(Self.summary(list.entries) == Self.expected)
    // Our dump of 3.6's file equals 3.6's own.
    let ours = try Binary.tool([
      "mboxlist", "dump", "--db", instance.configDirectory + "/mailboxes.db", "--format", "cyrus36",
    ])
    let theirs = try Binary.must([Binary.cyrusBin + "ctl_mboxlist", "-C", instance.conf, "-d"])
    #expect(ours.output == theirs.output)
  }

  /// The 2.2 spool the uniqueids come from: a root with etc/imapd.conf and one old-format
  /// cyrus.header per mailbox at its name-based, hashed path (§5.1, §6.1).
  static func makeTwoTwoSpool(in scratch: Scratch) throws -> (root: String, ids: [String: String]) {
    let root = scratch.path + "/old"
    try scratch.write(
      "old/etc/imapd.conf",
      "configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\nhashimapspool: true\n"
    )
    let magic: [UInt8] =
      [0xA1, 0x02, 0x8B, 0x0D]
      + Array(
        "Cyrus mailbox header\n\"The best thing about this system was that it had lots of goals.\"\n\t--Jim Morris on Andrew\n"
          .utf8)
    let mailboxes: [(String, String, String, String)] = [
      ("shared.news", "n/shared/news", "", "3f1e2d4c5b6a7980"),
      ("user.anna", "a/user/anna", "user.anna", "0a1b2c3d4e5f6071"),
      ("user.anna.Sent", "a/user/anna/Sent", "user.anna", "1b2c3d4e5f607182"),
      ("user.bert", "b/user/bert", "user.bert", "2c3d4e5f60718293"),
    ]
    var ids: [String: String] = [:]
    for (name, directory, quotaRoot, id) in mailboxes {
      try scratch.write(
        "old/var/spool/cyrus/mail/\(directory)/cyrus.header",
        magic + Array("\(quotaRoot)\t\(id)\n\nacl\tignored\t\n".utf8))
      ids[name] = id
    }
    return (root, ids)
  }

  @Test func convertedToCyrus36WithUniqueidsLoadsAsLegacyDirMailboxes() throws {
    let instance = try Instance()
    let raw = try instance.scratch.write("upstream22.txt", Self.upstream22Dump)
    let converted = instance.scratch.path + "/converted.json"

    let refused = try Binary.tool(["mboxlist", "convert", "--to", "cyrus36", raw, converted])
    #expect(refused.status == 2)
    #expect(refused.stderr.contains("4 of 4 entries have no uniqueid"))
    #expect(refused.stderr.contains("--uniqueids-from"))
    #expect(refused.stderr.contains("-L"))

    let (old, ids) = try Self.makeTwoTwoSpool(in: instance.scratch)
    let convert = try Binary.tool([
      "mboxlist", "convert", "--to", "cyrus36", "--uniqueids-from", old, raw, converted,
    ])
    #expect(convert.status == 0, "\(convert.stderr)")
    _ = try Binary.must(["/bin/chmod", "644", converted])
    let errors = try instance.undump(converted, legacy: false)
    #expect(!errors.contains("missing uniqueid"), "\(errors)")

    for entries in [
      try instance.dump(),
      try MailboxList.read(path: instance.configDirectory + "/mailboxes.db").entries,
    ] {
      #expect(Self.summary(entries) == Self.expected)
      #expect(
        Dictionary(
          entries.compactMap { e in e.uniqueID.map { (e.name.internalName, $0) } },
          uniquingKeysWith: { $1 }) == ids)
      #expect(entries.allSatisfy { $0.type.cyrus36Letters == "el" })
    }
    // 3.6 finds each mailbox at its 2.2 directory, because of the `l` flag.
    let path = try Binary.must([Binary.cyrusBin + "mbpath", "-C", instance.conf, "user.anna.Sent"])
    #expect(path.stdout == instance.scratch.path + "/spool/a/user/anna/Sent\n")
  }
}
