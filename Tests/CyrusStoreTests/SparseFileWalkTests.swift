import Foundation
import Testing

@testable import CyrusStore

/// Files of 2^63−1 bytes on a few KiB of disk (tmpfs allows them): the walk adds their sizes
/// without trapping and does not try to hash their holes.
@Suite struct SparseFileWalkTests {
  /// A tree on tmpfs with three files of `Int64.max` bytes in the spool.
  func hugeTree() throws -> TemporaryTree {
    let tree = try TemporaryTree(base: "/dev/shm")
    try tree.makeInstance()
    for name in ["1.", "2.", "3."] {
      try tree.sparse("var/spool/cyrus/mail/a/" + name, size: Int64.max, head: Array("x".utf8))
    }
    return tree
  }

  func walk(_ tree: TemporaryTree, _ options: WalkOptions) throws
    -> (entries: [ManifestEntry], bytes: UInt64)
  {
    let walker = InstanceWalker(instance: try CyrusInstance.locate(tree.path), options: options)
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return (entries, walker.bytesSeen)
  }

  @Test func sizesOfHugeSparseFilesAddUpWithoutTrapping() throws {
    let (entries, bytes) = try walk(hugeTree(), WalkOptions(level: .meta))
    #expect(entries.filter { $0.size == UInt64(Int64.max) }.count == 3)
    #expect(bytes == UInt64.max)
  }

  @Test(arguments: [1, 2])
  func holesAreNotHashed(jobs: Int) throws {
    let (entries, _) = try walk(hugeTree(), WalkOptions(level: .full, hashJobs: jobs))
    let huge = entries.filter { $0.size == UInt64(Int64.max) }
    #expect(huge.count == 3)
    for entry in huge {
      #expect(
        entry.problem
          == .unreadable(
            "sparse file: more than \(SparseFiles.maxHoleBytes) of its \(Int64.max) bytes are "
              + "holes (never written); content not read"))
    }
  }

  @Test func aSmallSparseFileIsStillHashed() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    try tree.sparse("var/spool/cyrus/mail/a/1.", size: 1 << 20, head: Array("x".utf8))
    let (entries, _) = try walk(tree, WalkOptions(level: .full, hashJobs: 1))
    let entry = try #require(entries.first { $0.path == EntryPath("a/1.") })
    #expect(entry.problem == nil && entry.digest?.count == 32)
  }
}
