import Foundation
import Testing

@testable import CyrusStore

/// A damaged, cut, foreign or swapped cache is never trusted: from the first bad byte on the
/// files are read, the entries are those of a walk without a cache, and the next cache is
/// sound again.
@Suite struct DigestCacheDamageTests {
  /// One way to damage the cache file of a harness whose walk wrote it.
  struct Damage: Sendable, CustomStringConvertible {
    var description: String
    var apply: @Sendable (_ harness: CacheHarness, _ bytes: inout [UInt8]) throws -> Void
  }

  static let damages: [Damage] = [
    Damage(description: "a byte of the magic flipped") { _, bytes in bytes[0] ^= 1 },
    Damage(description: "written by a build of format version 1") { _, bytes in
      // The version is the u16 after the magic (version 1 encoded records as varints).
      bytes[8] = 0
      bytes[9] = 1
    },
    Damage(description: "a byte of the identity flipped") { _, bytes in
      bytes[DigestCacheFormat.fixedHeaderBytes + 3] ^= 1
    },
    Damage(description: "a byte in the first block flipped") { _, bytes in
      bytes[bytes.count / 4] ^= 0x40
    },
    Damage(description: "a byte in the last block flipped") { _, bytes in
      bytes[bytes.count - DigestCacheFormat.trailerBytes - 20] ^= 0x01
    },
    Damage(description: "the trailer's check flipped") { _, bytes in bytes[bytes.count - 1] ^= 1 },
    Damage(description: "cut in the middle") { _, bytes in bytes.removeLast(bytes.count / 2) },
    Damage(description: "cut by one byte") { _, bytes in bytes.removeLast() },
    Damage(description: "cut to nothing") { _, bytes in bytes.removeAll() },
    Damage(description: "a byte appended") { _, bytes in bytes.append(0) },
    Damage(description: "a block doubled") { _, bytes in
      // The second block's bytes again after it: its index no longer matches its check.
      let trailer = bytes.suffix(DigestCacheFormat.trailerBytes)
      let body = bytes.dropLast(DigestCacheFormat.trailerBytes)
      let tail = body.suffix(200)
      bytes = Array(body) + Array(tail) + Array(trailer)
    },
    Damage(description: "another instance's cache swapped in") { harness, bytes in
      let other = try CacheHarness()
      _ = try other.walk()
      bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try other.cacheFile)))
    },
    Damage(description: "not a cache at all") { _, bytes in
      bytes = Array("digests are overrated\n".utf8)
    },
  ]

  @Test(arguments: damages)
  func damagedCacheIsIgnoredAndRebuilt(damage: Damage) throws {
    // Enough files for several blocks.
    let harness = try CacheHarness(files: 1500)
    let reference = try harness.walk(.full, cached: false)
    let first = try harness.walk()
    #expect(first.entries == reference.entries)
    // One message changed behind the cache's back except for its ctime: a trusted stale
    // record would keep the old digest.
    let victim = harness.tree.path + "/" + harness.messages[700]
    let original = try String(contentsOfFile: victim, encoding: .utf8)
    try harness.rewriteKeepingMtime(harness.messages[700], String(original.reversed()))
    let changed = try harness.walk(.full, cached: false)
    let path = try harness.cacheFile
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    try damage.apply(harness, &bytes)
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let damaged = try harness.walk()
    #expect(damaged.entries == changed.entries)
    #expect(damaged.statistics.ignored != nil)
    let rebuilt = try harness.walk()
    #expect(rebuilt.entries == changed.entries)
    #expect(rebuilt.statistics.ignored == nil && rebuilt.statistics.readChanged == 0)
  }

  /// A cache anyone else could have written is not trusted, even if it checks.
  @Test func cacheWritableByOthersIsNotTrusted() throws {
    let harness = try CacheHarness()
    _ = try harness.walk()
    chmod(try harness.cacheFile, 0o622)
    let walk = try harness.walk()
    #expect(walk.statistics.reused == 0)
    #expect(walk.statistics.ignored?.contains("not trusted") == true)
  }

  /// The reader reports where a check failed, and the records before it stay usable.
  @Test func damageInALaterBlockKeepsTheBlocksBeforeIt() throws {
    let harness = try CacheHarness(files: 1500)
    _ = try harness.walk()
    let path = try harness.cacheFile
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    bytes[bytes.count - DigestCacheFormat.trailerBytes - 20] ^= 0x01
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    let walk = try harness.walk()
    #expect(walk.statistics.reused > 0)
    #expect(walk.statistics.readChanged > 0)
    #expect(walk.statistics.ignored?.contains("check fails") == true)
  }
}
