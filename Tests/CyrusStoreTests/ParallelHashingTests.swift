import Foundation
import Testing

@testable import CyrusStore

/// Contents read on several threads (`--hash-jobs`) give exactly the entries of one thread, in
/// the same order, with the same per-file rules for files that change or vanish meanwhile.
@Suite struct ParallelHashingTests {
  func walk(_ tree: TemporaryTree, _ options: WalkOptions) throws -> [ManifestEntry] {
    let walker = InstanceWalker(instance: try CyrusInstance.locate(tree.path), options: options)
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return entries
  }

  /// More files than the window holds, in more directories than it keeps open, some large
  /// enough to fill it by bytes, hard links and symlinks among them.
  func wideTree() throws -> TemporaryTree {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let spool = "var/spool/cyrus/mail/"
    for folder in 0..<150 {
      for uid in 1...12 {
        try tree.write(spool + "a/user/u\(folder)/\(uid).", "message \(folder) \(uid)\n")
      }
      try tree.write(spool + "a/user/u\(folder)/cyrus.header", "header \(folder)")
    }
    let large = String(repeating: "0123456789abcdef", count: 1 << 20)  // 16 MiB
    for uid in 1...5 { try tree.write(spool + "b/user/big/\(uid).", large + "\(uid)") }
    try tree.hardlink(spool + "b/user/big/9.", to: spool + "a/user/u3/1.")
    try tree.symlink(spool + "b/user/big/link", to: "/etc")
    return tree
  }

  @Test(arguments: [VerifyLevel.full, .guid, .meta])
  func severalThreadsGiveTheEntriesOfOne(level: VerifyLevel) throws {
    let tree = try wideTree()
    let one = try walk(tree, WalkOptions(level: level, hashJobs: 1))
    #expect(one.count > HashWindow.entryLimit)
    for jobs in [2, 4, 7] {
      let several = try walk(tree, WalkOptions(level: level, hashJobs: jobs))
      #expect(several == one, "hashJobs \(jobs)")
    }
    if level == .full {
      #expect(one.allSatisfy { $0.kind != .file || $0.digest?.count == 32 })
    }
  }

  /// A file that grows after the walker examined it and before it is read is changed while
  /// reading; one removed meanwhile has vanished; the rest are read as usual.
  @Test(arguments: [1, 4])
  func filesChangingWhileReadAreProblemsNotDigests(jobs: Int) throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let directory = tree.path + "/var/spool/cyrus/mail/a/"
    for uid in 1...40 { try tree.write("var/spool/cyrus/mail/a/\(uid).", "message \(uid)") }
    var options = WalkOptions(level: .full, hashJobs: jobs)
    options.beforeHashing = { name in
      switch String(decoding: name, as: UTF8.self) {
      case "7.":
        if let handle = FileHandle(forWritingAtPath: directory + "7.") {
          handle.seekToEndOfFile()
          handle.write(Data(" and more".utf8))
          handle.closeFile()
        }
      case "23.":
        unlink(directory + "23.")
      default:
        break
      }
    }
    let entries = try walk(tree, options)
    let files = entries.filter { $0.kind == .file }
    #expect(files.count == 40)
    for entry in files {
      switch entry.path.description {
      case "a/7.":
        #expect(entry.problem == .changedWhileReading && entry.digest == nil)
      case "a/23.":
        #expect(entry.problem == .vanished && entry.digest == nil)
      default:
        #expect(entry.problem == nil && entry.digest?.count == 32, "\(entry.path)")
      }
    }
  }

  @Test func theDefaultFollowsTheCoresFromFourToEight() {
    let cores = sysconf(Int32(_SC_NPROCESSORS_ONLN))
    #expect(WalkOptions.defaultHashJobs == min(8, max(4, cores)))
    #expect(WalkOptions().hashJobs == WalkOptions.defaultHashJobs)
  }
}
