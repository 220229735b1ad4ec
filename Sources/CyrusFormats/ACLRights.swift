/// A set of Cyrus ACL rights as a bitmask in the 3.6 layout (3.6.1 lib/acl.h:54-85), so rights
/// written by 2.2 (`lrswipcda`) and by 2.3+ (`lrswipkxtecda[n]`) compare equal when they grant
/// the same thing.
///
/// Legacy letters follow `cyrus_acl_strtomask` (3.6.1 lib/acl.c:93-161) with the default
/// `deleteright: c` (lib/imapoptions, since 2.3.17):
/// - `c` (2.2 CREATE) means `k` + `x` (create and delete mailbox);
/// - `d` (2.2 DELETE) means `t` + `e` (delete messages and expunge);
/// - a macro letter counts only when none of its member rights is also present, exactly as in
///   Cyrus, so `lrswipkxtecda` is `lrswipkxtea` and `lrswipcda` is the same set.
///
/// 2.2's `ACL_DELETE` let a user both flag messages deleted and expunge them, and deleting a
/// mailbox needed `c` (2.2.13 cyrus/lib/acl.h); the mapping above keeps those meanings.
public struct ACLRights: OptionSet, Hashable, Sendable, CustomStringConvertible {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let lookup = ACLRights(rawValue: 0x000001)  // l
  public static let read = ACLRights(rawValue: 0x000002)  // r
  public static let seen = ACLRights(rawValue: 0x000004)  // s
  public static let write = ACLRights(rawValue: 0x000008)  // w
  public static let insert = ACLRights(rawValue: 0x000010)  // i
  public static let post = ACLRights(rawValue: 0x000020)  // p
  public static let create = ACLRights(rawValue: 0x000040)  // k
  public static let deleteMailbox = ACLRights(rawValue: 0x000080)  // x
  public static let deleteMessage = ACLRights(rawValue: 0x000100)  // t
  public static let expunge = ACLRights(rawValue: 0x000200)  // e
  public static let admin = ACLRights(rawValue: 0x000400)  // a
  public static let annotate = ACLRights(rawValue: 0x000800)  // n
  /// User-defined rights `0`…`9` (3.6: user1 = 0x1000 … user9, user0 = 0x200000).
  public static func user(_ digit: Int) -> ACLRights {
    precondition((0...9).contains(digit), "user rights are 0…9")
    return ACLRights(rawValue: digit == 0 ? 0x200000 : 0x1000 << UInt32(digit - 1))
  }

  /// Letters in `cyrus_acl_masktostr` order (3.6.1 lib/acl.c:165), without the legacy macros.
  static let letters: [(UInt8, ACLRights)] = {
    let named: [(Character, ACLRights)] = [
      ("l", .lookup), ("r", .read), ("s", .seen), ("w", .write), ("i", .insert), ("p", .post),
      ("k", .create), ("x", .deleteMailbox), ("t", .deleteMessage), ("e", .expunge),
      ("a", .admin), ("n", .annotate),
    ]
    var all: [(UInt8, ACLRights)] = named.map { ($0.0.asciiValue ?? 0, $0.1) }
    for digit in 0...9 { all.append((UInt8(ascii: "0") + UInt8(digit), user(digit))) }
    return all
  }()

  /// Parses a rights string of any version; letters Cyrus does not know are returned apart.
  public static func parse(_ text: String) -> (rights: ACLRights, unknown: String) {
    var result: ACLRights = []
    var legacyCreate: ACLRights = []
    var legacyDelete: ACLRights = []
    var unknown = ""
    for b in text.utf8 {
      if let match = letters.first(where: { $0.0 == b }) {
        result.insert(match.1)
      } else if b == UInt8(ascii: "c") {
        legacyCreate = [.create, .deleteMailbox]
      } else if b == UInt8(ascii: "d") {
        legacyDelete = [.deleteMessage, .expunge]
      } else {
        unknown.unicodeScalars.append(Unicode.Scalar(b))
      }
    }
    if result.isDisjoint(with: legacyCreate) { result.formUnion(legacyCreate) }
    if result.isDisjoint(with: legacyDelete) { result.formUnion(legacyDelete) }
    return (result, unknown)
  }

  /// The string Cyrus 3.6 prints for these rights (`cyrus_acl_masktostr`, deleteright `c`):
  /// the RFC 4314 letters plus `c` when `k` or `x` is present and `d` when `t` or `e` is.
  public var cyrus36String: String {
    var s = ""
    func add(_ letter: Character) { s.append(letter) }
    for (b, r) in Self.letters.prefix(10) where contains(r) { s.unicodeScalars.append(.init(b)) }
    if !isDisjoint(with: [.create, .deleteMailbox]) { add("c") }
    if !isDisjoint(with: [.deleteMessage, .expunge]) { add("d") }
    for (b, r) in Self.letters.dropFirst(10) where contains(r) { s.unicodeScalars.append(.init(b)) }
    return s
  }

  public var description: String { cyrus36String }
}
