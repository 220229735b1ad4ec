/// Something the walker found inside one mailbox directory by reading its `cyrus.index` against
/// the message files beside it. Notes ride on the directory's `cyrus.header` entry, so they
/// travel with the manifest (locally, over SSH, in a saved manifest) and become findings on the
/// side they were seen on.
public struct MailboxNote: Sendable, Equatable {
  /// What was found.
  public enum Kind: UInt8, Sendable, CaseIterable {
    /// A live (not expunged) index record whose message file `<uid>.` is not there.
    case fileMissing = 1
    /// A message file whose size differs from its index record's.
    case sizeMismatch = 2
    /// A message file with no index record (or whose record says it was unlinked).
    case fileOrphan = 3
    /// cyrus.index has damage a reader can see (a CRC, the UID order, a truncated file …).
    case indexDamaged = 4
    /// cyrus.index could not be read at all.
    case indexUnreadable = 5
    /// A message file whose SHA-1 is not the GUID its index record holds (`--level guid`).
    case guidMismatch = 6
  }

  /// What was found.
  public var kind: Kind
  /// The message concerned, when one is.
  public var uid: UInt32?
  /// Both values or the error text; for a summary note, how many more.
  public var detail: String

  /// Makes a note.
  public init(_ kind: Kind, uid: UInt32? = nil, detail: String) {
    self.kind = kind
    self.uid = uid
    self.detail = detail
  }

  /// Notes kept per mailbox directory; the rest are counted in one note per kind.
  public static let limitPerMailbox = 50
}
