import Foundation
import Testing

@testable import CyrusFormats
@testable import CyrusStore

/// FIFOs, symlinks and paths that leave the root, where Cyrus expects regular files and
/// directories: each ends at once in a problem or a typed error naming the file.
@Suite struct HostileTreeTests {
  func walk(_ tree: TemporaryTree, _ options: WalkOptions = WalkOptions(level: .full, hashJobs: 1))
    throws -> [ManifestEntry]
  {
    let walker = InstanceWalker(instance: try CyrusInstance.locate(tree.path), options: options)
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return entries
  }

  func storeError(_ body: () throws -> Void) -> CyrusStoreError? {
    do {
      try body()
      return nil
    } catch {
      return error as? CyrusStoreError
    }
  }

  @Test func fifoNamedCyrusHeaderOrIndexDoesNotBlockTheWalk() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let anna = "var/spool/cyrus/mail/a/user/anna/"
    try tree.write(anna + "1.", "message")
    try tree.fifo(anna + "cyrus.header")
    try tree.fifo(anna + "cyrus.index")
    let entries = try walk(tree)
    let header = try #require(entries.first { $0.path == EntryPath("a/user/anna/cyrus.header") })
    #expect(header.kind == .fifo)
    #expect(entries.first { $0.path == EntryPath("a/user/anna/cyrus.index") }?.kind == .fifo)
    // The index is not a file: no check ran, and nothing was hashed or read from either.
    #expect(header.notes.isEmpty && header.digest == nil)
  }

  @Test func fifoIndexBesideARealHeaderIsAnUnreadableIndexNote() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let anna = "var/spool/cyrus/mail/a/user/anna"
    try tree.write(anna + "/cyrus.header", "")
    let fifo = try tree.fifo(anna + "/cyrus.index")
    // What the walk's check does once it has listed the directory.
    let fd = open(tree.path + "/" + anna, O_RDONLY | O_DIRECTORY)
    defer { close(fd) }
    let (pending, summary, _) = MailboxContentCheck.notes(
      messageNames: [], indexDirectory: tree.path + "/" + anna, indexDirectoryFD: fd,
      hasExpunge: false, userFlags: [])
    var notes = pending
    #expect(summary == nil)
    #expect(
      notes.notes(messageDirectoryFD: fd).map(\.detail) == [
        "\(fifo): is a fifo, not a regular file; not read"
      ])
  }

  @Test func fifoMailboxesDBAndDumpAreUnreadable() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let db = try tree.fifo("var/lib/cyrus/mailboxes.db")
    let dump = try tree.fifo("var/lib/cyrus/mailboxlist.txt")
    let files = MailboxFiles.collect(try CyrusInstance.locate(tree.path))
    #expect(files.database == .unreadable("\(db): is a fifo, not a regular file; not read"))
    #expect(files.dump == .unreadable("\(dump): is a fifo, not a regular file; not read"))
  }

  @Test func fifoStateFilesAreProblemsNotHangs() throws {
    let tree = try TemporaryTree()
    for name in Self.stateFiles.map(\.name) { try tree.fifo("user/a/" + name) }
    for (path, problem) in Self.stateProblems(in: tree) {
      #expect(problem.contains("\(path): is a fifo, not a regular file"), "\(problem)")
    }
  }

  /// The seen, subscription and quota file names `stateProblems(in:)` reads in `user/a`.
  static let stateFiles: [(name: String, kind: StateSummary.Kind)] = [
    ("anna.seen", .seen), ("anna.sub", .subscriptions), ("quota-root", .quota),
  ]

  /// Each of ``stateFiles`` read in `user/a` of `tree`, with its path and problem ("" if none).
  static func stateProblems(in tree: TemporaryTree) -> [(path: String, problem: String)] {
    let fd = open(tree.path + "/user/a", O_RDONLY | O_DIRECTORY)
    defer { close(fd) }
    return stateFiles.map { name, kind in
      let path = tree.path + "/user/a/" + name
      let summary = StateSummary.read(name: Array(name.utf8), in: fd, path: path, kind: kind)
      return (path, summary.problem ?? "")
    }
  }

  /// Seen, subscription and quota files are opened beside the directory already open, without
  /// following a symlink: one planted in their place (to a file outside) is a problem, never
  /// read through.
  @Test func symlinkedStateFilesAreProblemsNotReadThrough() throws {
    let tree = try TemporaryTree()
    try tree.write("outside/secret", "user.secret\t1 2 3\n")
    try tree.write("user/a/.keep", "")
    for name in Self.stateFiles.map(\.name) {
      try tree.symlink("user/a/" + name, to: tree.path + "/outside/secret")
    }
    for (path, problem) in Self.stateProblems(in: tree) {
      #expect(problem.contains(path) && problem.contains("symbolic link"), "\(problem)")
    }
  }

  @Test func fifoIncludeIsRefused() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance(extraConfig: "@include: /etc/more.conf\n")
    let fifo = try tree.fifo("etc/more.conf")
    let error = storeError { _ = try CyrusInstance.locate(tree.path) }
    #expect(error?.kind == .wrongType && error?.path == fifo)
  }

  @Test func fileSwappedForAFIFOBeforeHashingIsChangedWhileReading() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let message = try tree.write("var/spool/cyrus/mail/a/1.", "message")
    var options = WalkOptions(level: .full, hashJobs: 1)
    options.beforeHashing = { name in
      guard name == Array("1.".utf8) else { return }
      unlink(message)
      mkfifo(message, 0o600)
    }
    let entries = try walk(tree, options)
    let entry = try #require(entries.first { $0.path == EntryPath("a/1.") })
    #expect(entry.problem == .changedWhileReading)
  }

  @Test func symlinkedDumpIsNotReadThrough() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    try tree.write("outside.txt", "user.secret\n")
    try tree.symlink("var/lib/cyrus/mailboxlist.txt", to: tree.path + "/outside.txt")
    let files = MailboxFiles.collect(try CyrusInstance.locate(tree.path))
    #expect(
      files.dump
        == .unreadable(
          "\(tree.path)/var/lib/cyrus/mailboxlist.txt: is a symbolic link; not followed"))
  }

  /// The partition's entries after `replaced` (a directory of the instance) became a symlink
  /// to a directory outside holding the same content.
  func partitionEntries(replacing replaced: String, in tree: TemporaryTree) throws
    -> [ManifestEntry]
  {
    try tree.makeInstance()
    try tree.write("elsewhere/mail/secret", "x")
    try FileManager.default.removeItem(atPath: tree.path + "/" + replaced)
    let target = tree.path + (replaced.hasSuffix("/mail") ? "/elsewhere/mail" : "/elsewhere")
    try tree.symlink(replaced, to: target)
    return try walk(tree).filter { $0.area == "partition-default" }
  }

  @Test func symlinkedAreaRootIsAProblemNotAWalk() throws {
    let tree = try TemporaryTree()
    let entries = try partitionEntries(replacing: "var/spool/cyrus/mail", in: tree)
    #expect(entries.count == 1)
    #expect(entries.first?.kind == .symlink)
    #expect(entries.first?.linkTarget == Array((tree.path + "/elsewhere/mail").utf8))
    #expect(
      entries.first?.problem
        == .unlistable(
          "\(tree.path)/var/spool/cyrus/mail: the area root is a symbolic link; not followed"))
  }

  @Test func symlinkedDirectoryOnTheWayBelowTheRootIsNotFollowed() throws {
    let tree = try TemporaryTree()
    let entries = try partitionEntries(replacing: "var/spool/cyrus", in: tree)
    #expect(entries.count == 1)
    #expect(
      entries.first?.problem
        == .unlistable(
          "\(tree.path)/var/spool/cyrus: is a symbolic link inside the root \(tree.path);"
            + " not followed"))
  }

  @Test(arguments: [
    "partition-default: /../../x\n", "configdirectory: /var/../../x\n",
    "@include: ../../../../etc/passwd\n", "@include: /../etc/passwd\n",
    "mboxlist_db_path: ../../../../etc/shadow\n", "mboxlist_db_path: /../x\n",
  ])
  func pathLeavingTheRootIsRefused(line: String) throws {
    let tree = try TemporaryTree()
    // Last, so that it is the value used.
    try tree.write(
      "etc/imapd.conf",
      "configdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n" + line)
    let error = storeError { _ = try CyrusInstance.locate(tree.path) }
    #expect(error?.kind == .badOption)
    #expect(error?.detail.contains("leaves the root") == true)
  }

  @Test func pathsStayingInsideTheRootAreNormalised() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance(extraConfig: "mboxlist_db_path: ../cyrus/./db/mailboxes.db\n")
    let instance = try CyrusInstance.locate(tree.path)
    #expect(instance.mailboxesDBPath == tree.path + "/var/lib/cyrus/db/mailboxes.db")
  }

  @Test func includesFanningOutStopAtTheFileLimit() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance(extraConfig: String(repeating: "@include: a.conf\n", count: 8))
    try tree.write("etc/a.conf", String(repeating: "@include: b.conf\n", count: 8))
    try tree.write("etc/b.conf", "x: 1\n")
    let error = storeError { _ = try CyrusInstance.locate(tree.path) }
    #expect(error?.kind == .badOption)
    #expect(
      error?.detail
        == "more than \(CyrusInstance.includeFileLimit) files to read through @include; not read")
  }

  @Test func mailboxesDBCopyLeavesNoNameInTheTemporaryDirectory() throws {
    let before = Set(try FileManager.default.contentsOfDirectory(atPath: TemporaryCopy.directory))
    let copy = try TemporaryCopy(Array("user.anna\t0 default anna lrswipkxtecda\n".utf8))
    let during = Set(try FileManager.default.contentsOfDirectory(atPath: TemporaryCopy.directory))
    // (Only the fallback's own prefix: other tests make directories named cyrus-failover-test.)
    #expect(during.subtracting(before).filter { $0.hasPrefix("cyrus-failover-tmp-") }.isEmpty)
    #expect(
      try Data(contentsOf: URL(fileURLWithPath: copy.procPath))
        == Data("user.anna\t0 default anna lrswipkxtecda\n".utf8))
    let files = MailboxFiles(
      databasePath: "/x/mailboxes.db",
      database: .bytes(Array("user.anna\t0 default anna lrswipkxtecda\n".utf8)), dumpPath: "",
      dump: .absent, hashImapSpool: false, fullDirHash: false, deletedPrefix: "DELETED")
    #expect(try files.mailboxList().entries.map(\.name.internalName) == ["user.anna"])
  }
}
