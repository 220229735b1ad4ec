/// Maps a mailbox directory of a spool back to the mailbox it holds, for grouping findings.
///
/// Name-based ("legacy") layout, §5.1 of the formats reference: `[domain/[H/]DOMAIN/][H/]a/b/c`
/// holds internal name `[DOMAIN!]a.b.c`. The 3.6 by-uniqueid layout `uuid/X/Y/UNIQUEID` carries
/// no name in its path; the walker then takes the name from the directory's `cyrus.header`.
public struct SpoolNaming: Sendable {
  /// `hashimapspool` of the instance.
  public var hashed: Bool

  /// Makes a naming rule.
  public init(hashed: Bool) { self.hashed = hashed }

  /// The uniqueid of a `uuid/X/Y/UNIQUEID` directory, if `path` is one.
  public func uniqueID(of path: EntryPath) -> String? {
    let parts = path.components.map { String(decoding: $0, as: UTF8.self) }
    guard parts.count == 4, parts[0] == "uuid", parts[3].count >= 2 else { return nil }
    let id = Array(parts[3])
    guard parts[1] == String(id[0]), parts[2] == String(id[1]) else { return nil }
    return parts[3]
  }

  /// The internal mailbox name of a name-based mailbox directory, or `nil` when the path cannot
  /// be one (the runtime staging area, the uuid tree).
  public func legacyName(of path: EntryPath) -> String? {
    var parts = path.components.map { String(decoding: $0, as: UTF8.self) }
    guard let first = parts.first, first != "uuid", first != "stage.", first != "sync." else {
      return nil
    }
    var domain: String?
    if first == "domain" {
      parts.removeFirst()
      if hashed && parts.count >= 2 && parts[0].count == 1 { parts.removeFirst() }
      guard !parts.isEmpty else { return nil }
      domain = parts.removeFirst()
    }
    if hashed {
      guard parts.count >= 2, parts[0].count == 1 else { return nil }
      parts.removeFirst()
    }
    guard !parts.isEmpty else { return nil }
    let name = parts.joined(separator: ".")
    return domain.map { "\($0)!\(name)" } ?? name
  }
}
