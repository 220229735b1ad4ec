import Testing

@testable import CyrusStore

@Suite struct WalkerTests {
  func walk(_ tree: TemporaryTree, level: VerifyLevel = .full, runtime: Bool = false) throws
    -> [ManifestEntry]
  {
    let instance = try CyrusInstance.locate(tree.path)
    let walker = InstanceWalker(
      instance: instance, options: WalkOptions(level: level, includeRuntime: runtime))
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return entries
  }

  @Test func walkIsInCanonicalOrderAndLabelsMailboxes() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let spool = "var/spool/cyrus/mail/"
    for name in [
      "a/user/anna/1.", "a/user/anna/cyrus.header", "a/user/anna/Sent/1.",
      "a/user/anna/Sent/cyrus.header", "a/user/anna.x/9.",
    ] {
      try tree.write(spool + name, "x")
    }
    let entries = try walk(tree)
    for (earlier, later) in zip(entries, entries.dropFirst()) {
      #expect(ManifestEntry.canonicalCompare(earlier, later) < 0)
    }
    let sent = try #require(entries.first { $0.path == EntryPath("a/user/anna/Sent/1.") })
    #expect(sent.mailbox == "user.anna.Sent")
    #expect(entries.first { $0.path == EntryPath("a/user/anna/1.") }?.mailbox == "user.anna")
    #expect(entries.first { $0.path == EntryPath("a/user/anna.x/9.") }?.mailbox == nil)
  }

  @Test func symlinksAreNotFollowedAndHardLinksAreGrouped() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    try tree.write("var/spool/cyrus/mail/a/1.", "message")
    try tree.hardlink("var/spool/cyrus/mail/a/2.", to: "var/spool/cyrus/mail/a/1.")
    try tree.symlink("var/spool/cyrus/mail/a/link", to: "/etc")
    let entries = try walk(tree)
    let link = try #require(entries.first { $0.path == EntryPath("a/link") })
    #expect(link.kind == .symlink)
    #expect(link.linkTarget == Array("/etc".utf8))
    #expect(!entries.contains { $0.path.isInside(EntryPath("a/link")) })
    let second = try #require(entries.first { $0.path == EntryPath("a/2.") })
    #expect(second.hardLinkLeader == "partition-default:a/1.")
    #expect(second.digest?.count == 32)
  }

  @Test func metaLevelReadsNoContent() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    try tree.write("var/spool/cyrus/mail/a/1.", "message")
    #expect(try walk(tree, level: .meta).allSatisfy { $0.digest == nil })
  }

  @Test func runtimeFilesAreLeftOutUnlessAskedFor() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    try tree.write("var/lib/cyrus/socket/lmtp")
    try tree.write("var/lib/cyrus/db/__db.001")
    try tree.write("var/lib/cyrus/db/skipstamp")
    try tree.write("var/lib/cyrus/mailboxes.db")
    try tree.write("var/spool/cyrus/mail/stage./123-4")
    let paths = try walk(tree).map { "\($0.area):\($0.path)" }
    #expect(paths.contains("config:socket"))
    #expect(!paths.contains("config:socket/lmtp"))
    #expect(!paths.contains("config:db/__db.001"))
    #expect(paths.contains("config:mailboxes.db"))
    #expect(!paths.contains("partition-default:stage./123-4"))
    let all = try walk(tree, runtime: true).map { "\($0.area):\($0.path)" }
    #expect(all.contains("config:socket/lmtp") && all.contains("partition-default:stage./123-4"))
  }

  @Test func missingPartitionRootIsAProblemEntryNotACrash() throws {
    let tree = try TemporaryTree()
    try tree.write("etc/imapd.conf", "configdirectory: /c\npartition-default: /missing\n")
    try tree.mkdir("c")
    let entries = try walk(tree)
    let root = try #require(entries.first { $0.area == "partition-default" })
    guard case .unlistable(let text)? = root.problem else {
      Issue.record("expected unlistable, got \(String(describing: root.problem))")
      return
    }
    #expect(text.contains("/missing"))
  }
}
