/// An internal mailbox name: `.`-separated, `domain!` prefix with virtdomains, `^` for a dot
/// inside a component (unixhierarchysep), modified UTF-7 (3.6.1 imap/mboxname.c; §3.5 of the
/// format reference). Examples: `user.fred.Sent`, `example.com!user.fred`, `shared.news`,
/// `DELETED.user.fred.Old.5F1A2B3C`.
public struct MailboxName: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// Cyrus's default `deletedprefix` (lib/imapoptions).
  public static let defaultDeletedPrefix = "DELETED"
  /// `MAX_MAILBOX_NAME` (3.6.1 imap/mailbox.h). Unit: bytes.
  public static let maxLength = 490

  public var internalName: String

  public init(_ internalName: String) { self.internalName = internalName }

  public var description: String { internalName }
  public static func < (a: Self, b: Self) -> Bool {
    a.internalName.utf8.lexicographicallyPrecedes(b.internalName.utf8)
  }

  /// The virtual domain (text before the first `!`), if any.
  public var domain: String? {
    guard let bang = internalName.firstIndex(of: "!") else { return nil }
    return String(internalName[..<bang])
  }

  /// The name without its domain prefix.
  public var localName: Substring {
    guard let bang = internalName.firstIndex(of: "!") else { return Substring(internalName) }
    return internalName[internalName.index(after: bang)...]
  }

  /// The `.`-separated components of ``localName``, empty ones included.
  public var components: [Substring] {
    localName.split(separator: ".", omittingEmptySubsequences: false)
  }

  /// The user a `user.<name>…` mailbox belongs to (its second component), else nil.
  public var userLocalPart: Substring? {
    let c = components
    return c.count >= 2 && c[0] == "user" ? c[1] : nil
  }

  /// In the delayed-delete hierarchy (`DELETED.…`).
  public func isDeleted(deletedPrefix: String = defaultDeletedPrefix) -> Bool {
    let c = components
    return c.count > 2 && c[0] == deletedPrefix
  }

  /// Whether the name can be turned into a spool path without escaping its partition
  /// directory: non-empty, no empty component (so no `..`, leading or trailing `.`), no `/`,
  /// no NUL or other control byte, no DEL, and a domain that is non-empty and not `.`/`..`.
  /// Cyrus itself refuses such names at creation (`mboxname_policycheck`), so one found on
  /// disk is damage or an attack.
  public var isSafeAsPath: Bool {
    func safe(_ part: Substring) -> Bool {
      !part.isEmpty && part != "." && part != ".."
        && part.utf8.allSatisfy { $0 >= 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") }
    }
    if let domain {
      guard safe(Substring(domain)) else { return false }
    }
    return components.allSatisfy(safe)
  }
}
