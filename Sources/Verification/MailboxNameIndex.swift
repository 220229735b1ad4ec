import CyrusFormats
import CyrusStore

/// What one side's mailboxes.db says about mailbox names, for the per-user state checks: the
/// name of each uniqueid (a seen record's key, a 3.6 user directory) and which names exist (a
/// subscription's target). One entry per mailbox, never per message.
public struct MailboxNameIndex: Sendable {
  /// Internal name by uniqueid, of live entries only: a 3.6 tombstone shares its uniqueid with
  /// the mailbox it was renamed to, or with its `DELETED.…` entry.
  public var byUniqueID: [String: String]
  /// Names of the mailboxes that exist (tombstones, placeholders and reservations left out);
  /// `nil` when the side's mailboxes.db could not be read, so nothing is said about it.
  public var existing: Set<String>?
  /// The side's `deletedprefix`, for turning 3.6 subscription keys into names.
  public var deletedPrefix: String

  /// An index that knows no mailbox (and claims nothing about which exist).
  public init() {
    byUniqueID = [:]
    existing = nil
    deletedPrefix = MailboxName.defaultDeletedPrefix
  }

  /// The index of a side's mailbox list (`nil` when it could not be read).
  public init(list: MailboxList?, deletedPrefix: String) {
    self.deletedPrefix = deletedPrefix
    byUniqueID = [:]
    guard let list else {
      existing = nil
      return
    }
    var names: Set<String> = []
    for entry in list.entries
    where entry.type.flags.isDisjoint(with: [.deleted, .intermediate, .reserve]) {
      names.insert(entry.name.internalName)
      if let id = entry.uniqueID { byUniqueID[id] = entry.name.internalName }
    }
    existing = names
  }

  /// The index of a loaded side.
  public init(side: MailboxSide, deletedPrefix: String) {
    self.init(list: try? side.list.get(), deletedPrefix: deletedPrefix)
  }
}
