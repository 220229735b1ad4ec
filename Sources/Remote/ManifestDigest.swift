import Crypto
import CyrusStore
import Foundation

/// The canonical digest of a manifest's entries: SHA-256 over the entries in their order, each
/// written as its length (unsigned LEB128 varint) followed by its encoding by a fresh
/// ``EntryEncoder`` (docs/remote.md, "Entry encoding", with no prefix shared with another
/// entry). Nothing of the file's header (tool version, creation time, origin), its mailbox
/// files or its batching goes in, so two manifests of an unchanged instance, saved at different
/// times, have the same digest; any change to an entry (size, mode, owner, mtime, a link, an
/// index or seen summary, a name) changes it. The encoding is that of manifest format
/// ``ManifestFile/formatVersion``: a digest is compared only with one of the same format.
public struct ManifestDigest {
  private var hasher = SHA256()
  /// Entries added so far.
  public private(set) var count = 0

  /// An empty digest.
  public init() {}

  /// Adds the next entry.
  public mutating func add(_ entry: ManifestEntry) {
    var encoder = EntryEncoder()
    var encoded = ByteWriter()
    encoder.encode(entry, into: &encoded)
    var length = ByteWriter()
    length.varint(encoded.bytes.count)
    hasher.update(data: length.bytes)
    hasher.update(data: encoded.bytes)
    count += 1
  }

  /// The digest as 64 lower-case hex digits.
  public func finalize() -> String {
    ManifestFingerprint.hex(Array(hasher.finalize()))
  }
}

/// What identifies a saved manifest file: the SHA-256 of its bytes, the canonical digest of
/// its entries (``ManifestDigest``), the entry count and its header.
public struct ManifestFingerprint: Sendable, Equatable {
  /// SHA-256 of the whole file, 64 hex digits.
  public var fileSHA256: String
  /// ``ManifestDigest`` of its entries.
  public var entriesDigest: String
  /// Entries in it.
  public var entries: Int
  /// Bytes in the file.
  public var bytes: Int
  /// Its header.
  public var header: ManifestFile.Header

  /// Reads the manifest at `path` to its trailer, hashing the file and its entries.
  /// - Throws: ``RemoteError`` for a file that cannot be opened, is not a manifest, or is cut
  ///   short (no trailer, a count that disagrees).
  public static func read(path: String) throws -> ManifestFingerprint {
    let reader = try ManifestReader(path: path)
    var digest = ManifestDigest()
    while let entry = try reader.next() { digest.add(entry) }
    let (sha, bytes) = try fileSHA256(path)
    return ManifestFingerprint(
      fileSHA256: sha, entriesDigest: digest.finalize(), entries: digest.count, bytes: bytes,
      header: reader.header)
  }

  /// SHA-256 of a file's bytes, read in 1 MiB pieces, and its length.
  public static func fileSHA256(_ path: String) throws -> (String, Int) {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw RemoteError(.manifest, "\(path): cannot open it to hash it")
    }
    defer { try? handle.close() }
    var hasher = SHA256()
    var total = 0
    while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
      hasher.update(data: piece)
      total += piece.count
    }
    return (hex(Array(hasher.finalize())), total)
  }

  /// Lower-case hex digits of `bytes`.
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
      out.append(digits[Int(byte >> 4)])
      out.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: out, as: UTF8.self)
  }
}
