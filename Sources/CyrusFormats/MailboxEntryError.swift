/// A mailboxes.db key or value, or a field of one, that does not parse.
public struct MailboxEntryError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable {
    /// The value is neither a dlist nor `mbtype SP partition SP acl`.
    case badValue
    /// mbtype letters or number no Cyrus version writes.
    case badMailboxType
    /// A number field with non-digits or out of range.
    case badNumber
    /// The dlist text itself is malformed (see ``DlistError``).
    case badDlist
    /// A 3.6 key that is neither `N`, `I`, `A` nor `$…`, or an empty key.
    case badKey
  }

  public var kind: Kind
  public var detail: String

  public init(_ kind: Kind, detail: String) {
    self.kind = kind
    self.detail = detail
  }

  public var description: String { "\(kind.rawValue): \(detail)" }
}
