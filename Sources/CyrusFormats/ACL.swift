/// A mailbox ACL: identifier → rights pairs in stored order, compared as a set of
/// (identifier, normalized rights).
///
/// Stored form in every version: `id TAB rights TAB id TAB rights TAB …`, trailing TAB included
/// (2.2.13 cyrus/lib/acl_afs.c:185-205); in dlists a kvlist `A %(id rights …)`
/// (3.6.1 imap/mailbox.c:8156 `mailbox_acl_to_dlist`); in 3.6 dumps a JSON object. Negative
/// rights use an identifier with a leading `-`.
public struct ACL: Hashable, Sendable, CustomStringConvertible {
  public struct Entry: Hashable, Sendable {
    public var identifier: String
    /// The rights letters exactly as stored.
    public var rawRights: String
    public init(identifier: String, rights: String) {
      self.identifier = identifier
      self.rawRights = rights
    }
    /// Normalized rights (see ``ACLRights``).
    public var rights: ACLRights { ACLRights.parse(rawRights).rights }
    /// Letters no Cyrus version knows, kept so they still take part in comparison.
    public var unknownRights: String { ACLRights.parse(rawRights).unknown }
    /// A `-identifier` entry takes rights away.
    public var isNegative: Bool { identifier.hasPrefix("-") }
  }

  public var entries: [Entry]

  public init(_ entries: [Entry] = []) { self.entries = entries }

  /// Parses the TAB-separated stored form the way `mailbox_acl_to_dlist` and `acl_to_json`
  /// split it: a last identifier without a following TAB is dropped, a last rights string
  /// without a trailing TAB is kept.
  public init(tabSeparated text: String) {
    var entries: [Entry] = []
    var rest = Substring(text)
    while !rest.isEmpty {
      guard let tab = rest.firstIndex(of: "\t") else { break }
      let name = rest[..<tab]
      rest = rest[rest.index(after: tab)...]
      let end = rest.firstIndex(of: "\t") ?? rest.endIndex
      entries.append(Entry(identifier: String(name), rights: String(rest[..<end])))
      rest = end == rest.endIndex ? "" : rest[rest.index(after: end)...]
    }
    self.entries = entries
  }

  /// The stored form: `id TAB rights TAB` for each entry.
  public var tabSeparated: String {
    entries.map { "\($0.identifier)\t\($0.rawRights)\t" }.joined()
  }

  public var description: String {
    entries.map { "\($0.identifier)=\($0.rights.cyrus36String)\($0.unknownRights)" }
      .joined(separator: " ")
  }

  private var comparable: Set<ComparableEntry> {
    Set(
      entries.map {
        ComparableEntry(identifier: $0.identifier, rights: $0.rights, unknown: $0.unknownRights)
      })
  }
  private struct ComparableEntry: Hashable {
    var identifier: String
    var rights: ACLRights
    var unknown: String
  }

  public static func == (a: ACL, b: ACL) -> Bool { a.comparable == b.comparable }
  public func hash(into hasher: inout Hasher) { hasher.combine(comparable) }

  /// True when both ACLs are stored with the same entries in the same order and letters.
  public func isIdentical(to other: ACL) -> Bool {
    entries.map { [$0.identifier, $0.rawRights] }
      == other.entries.map { [$0.identifier, $0.rawRights] }
  }
}
