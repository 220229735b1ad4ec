import CyrusFormats

/// Where a mailbox's directory lies in its partition, by the rules of the Cyrus version that
/// wrote the entry (§5 of the formats reference).
///
/// - 3.6 by-uniqueid: `uuid/<u0>/<u1>/<uniqueid>` when the entry has a uniqueid, comes from a
///   3.6 (`N`/`I`) mailboxes.db and lacks the `l` (legacy directories) flag
///   ([3.6.1 imap/mboxlist.c:318-345], `mboxname_id_hash`).
/// - Name-based: `[domain/[H/]DOMAIN/][H/]a/b/c` for `[DOMAIN!]a.b.c`, where `H` is
///   `dir_hash_c` of the part after the first dot (first byte lowercased, `q` when not a
///   letter; with `fulldirhash`, the shift-xor hash `A`…`W`) ([2.2.13 imap/mailbox.c:2714-2759],
///   [3.6.1 lib/util.c:393-422]).
public struct SpoolLocation: Sendable {
  /// `hashimapspool`.
  public var hashed: Bool
  /// `fulldirhash`.
  public var fullHash: Bool

  /// Makes the rule for an instance.
  public init(hashed: Bool, fullHash: Bool) {
    self.hashed = hashed
    self.fullHash = fullHash
  }

  /// The rule of `instance`.
  public init(_ instance: CyrusInstance) {
    self.init(hashed: instance.hashImapSpool, fullHash: instance.fullDirHash)
  }

  /// The directory of `entry` relative to its partition root, or `nil` when the name is not
  /// safe to use as a path (`..`, `/`, control characters: reported, never used).
  public func directory(of entry: MailboxEntry, layout: MailboxesDBLayout?) -> EntryPath? {
    if layout == .keyspaces36, let id = entry.uniqueID, !entry.type.flags.contains(.legacyDirs) {
      let chars = Array(id.utf8)
      guard chars.count >= 2, !id.contains("/"), id != ".", id != ".." else { return nil }
      return EntryPath(bytes: Array("uuid/".utf8) + [chars[0], 0x2F, chars[1], 0x2F] + chars)
    }
    guard entry.name.isSafeAsPath else { return nil }
    return legacyDirectory(of: entry.name.internalName)
  }

  /// The name-based directory of an internal mailbox name.
  public func legacyDirectory(of internalName: String) -> EntryPath {
    var parts: [String] = []
    var rest = Substring(internalName)
    if let bang = rest.firstIndex(of: "!") {
      let domain = String(rest[..<bang])
      rest = rest[rest.index(after: bang)...]
      parts.append("domain")
      if hashed { parts.append(hash(domain)) }
      parts.append(domain)
    }
    if hashed {
      let index = rest.firstIndex(of: ".").map { rest[rest.index(after: $0)...] } ?? rest
      parts.append(hash(index))
    }
    parts += rest.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    return EntryPath(parts.joined(separator: "/"))
  }

  /// `dir_hash_c`.
  func hash<S: StringProtocol>(_ name: S) -> String {
    if fullHash {
      var value: UInt32 = 0
      for byte in name.utf8 {
        if byte == 0x2E { break }
        value = ((value << 3) ^ (value >> 5)) ^ UInt32(byte)
      }
      return String(UnicodeScalar(UInt8(0x41 + value % 23)))
    }
    guard let first = name.utf8.first else { return "q" }
    let lower = (first >= 0x41 && first <= 0x5A) ? first + 0x20 : first
    return (lower >= 0x61 && lower <= 0x7A) ? String(UnicodeScalar(lower)) : "q"
  }
}
