import Crypto
import CyrusStore
import Foundation
import Testing

@testable import Remote

/// The canonical digest of a manifest's entries: independent of the file's header and
/// batching, changed by any change to an entry, and defined exactly as docs/signoff.md says.
@Suite struct ManifestDigestTests {
  /// Writes `entries` into a fresh manifest with `header`.
  func write(_ entries: [ManifestEntry], header: ManifestFile.Header) throws -> String {
    let path = NSTemporaryDirectory() + "digest-" + UUID().uuidString
    let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    defer { close(fd) }
    let writer = try ManifestWriter(
      fd: fd, header: header, mailboxFiles: ManifestFileTests.mailboxFiles)
    for entry in entries { try writer.append(entry) }
    try writer.finish()
    return path
  }

  /// The definition, spelled out: SHA-256 over varint length + fresh encoding, entry by entry.
  func byDefinition(_ entries: [ManifestEntry]) -> String {
    var input: [UInt8] = []
    for entry in entries {
      var encoder = EntryEncoder()
      var encoded = ByteWriter()
      encoder.encode(entry, into: &encoded)
      var length = ByteWriter()
      length.varint(encoded.bytes.count)
      input += length.bytes + encoded.bytes
    }
    return ManifestFingerprint.hex(Array(SHA256.hash(data: input)))
  }

  @Test func headerAndBatchingDoNotChangeTheDigest() throws {
    // Over two batches (RemoteLimits.manifestBatchEntries), with every kind of field.
    let entries = ProtocolTests.sample + ManifestFileTests.tree(1500)
    var later = ManifestFileTests.header
    later.created += 86_400
    later.origin = "failover:/etc/imapd.conf"
    later.toolVersion = "9.9.9"
    let first = try write(entries, header: ManifestFileTests.header)
    let second = try write(entries, header: later)
    defer { for path in [first, second] { try? FileManager.default.removeItem(atPath: path) } }
    let a = try ManifestFingerprint.read(path: first)
    let b = try ManifestFingerprint.read(path: second)
    #expect(a.entriesDigest == b.entriesDigest)
    #expect(a.entriesDigest == byDefinition(entries))
    #expect(a.entries == entries.count && b.entries == entries.count)
    #expect(a.fileSHA256 != b.fileSHA256)
    #expect(b.header == later)
  }

  @Test func anyChangeToAnEntryChangesTheDigest() throws {
    let entries = ProtocolTests.sample + ManifestFileTests.tree(20)
    var digest = ManifestDigest()
    for entry in entries { digest.add(entry) }
    let original = digest.finalize()
    var changes: [[ManifestEntry]] = []
    var mtime = entries
    mtime[8].mtime.nanoseconds += 1
    changes.append(mtime)
    var mode = entries
    mode[8].mode = 0o644
    changes.append(mode)
    var owner = entries
    owner[0].owner = "root"
    changes.append(owner)
    var removed = entries
    removed.remove(at: 10)
    changes.append(removed)
    var added = entries
    added.append(ManifestEntry(area: "sieve", path: EntryPath("z"), kind: .file))
    changes.append(added)
    var swapped = entries
    swapped.swapAt(9, 10)
    changes.append(swapped)
    for changed in changes {
      var other = ManifestDigest()
      for entry in changed { other.add(entry) }
      #expect(other.finalize() != original)
    }
  }

  @Test func aTruncatedManifestHasNoFingerprint() throws {
    let path = try write(ManifestFileTests.tree(2000), header: ManifestFileTests.header)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let size = try #require(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int)
    try FileHandle(forWritingTo: URL(fileURLWithPath: path)).truncate(atOffset: UInt64(size - 5))
    #expect(throws: RemoteError.self) { try ManifestFingerprint.read(path: path) }
  }
}
