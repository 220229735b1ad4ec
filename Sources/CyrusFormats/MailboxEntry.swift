/// One mailboxes.db entry (`struct mboxlist_entry` / `mbentry_t`, 3.6.1 imap/mboxlist.h:100-125),
/// read from any version's value or from a `ctl_mboxlist -d` dump line.
///
/// Fields a version does not store are nil or 0, as in the C struct (0 means "unset" for the
/// numbers, and Cyrus writes no field whose value is 0).
public struct MailboxEntry: Hashable, Sendable {
  /// Internal name (`.`-separated).
  public var name: MailboxName
  /// The 3.6 key without its `N` (0x1F/0x1D separators); nil for older versions and dumps.
  public var dbname: [UInt8]?
  public var type: MailboxType
  public var partition: String?
  /// Murder server (`S` in dlists; `server!partition` in text forms).
  public var server: String?
  public var acl: ACL
  public var uniqueID: String?
  public var uidValidity: UInt32
  public var createdModseq: UInt64
  public var folderModseq: UInt64
  /// Time the entry was last written (`M`), seconds since the epoch; 0 if not stored.
  public var mtime: Int64
  /// The 2.5-development `(specialuse …)` value (`legacy_specialuse`).
  public var legacySpecialUse: String?
  /// Former names (3.6 I records, `H`).
  public var nameHistory: [FormerName]

  /// One element of `name_history` (`former_name_t`, 3.6.1 imap/mboxlist.h).
  public struct FormerName: Hashable, Sendable {
    public var name: MailboxName
    public var mtime: Int64
    public var uidValidity: UInt32
    public var createdModseq: UInt64
    public var folderModseq: UInt64
    public var type: MailboxType
    public var partition: String?

    public init(
      name: MailboxName, mtime: Int64 = 0, uidValidity: UInt32 = 0, createdModseq: UInt64 = 0,
      folderModseq: UInt64 = 0, type: MailboxType = MailboxType(), partition: String? = nil
    ) {
      self.name = name
      self.mtime = mtime
      self.uidValidity = uidValidity
      self.createdModseq = createdModseq
      self.folderModseq = folderModseq
      self.type = type
      self.partition = partition
    }
  }

  public init(
    name: MailboxName, dbname: [UInt8]? = nil, type: MailboxType = MailboxType(),
    partition: String? = nil, server: String? = nil, acl: ACL = ACL(), uniqueID: String? = nil,
    uidValidity: UInt32 = 0, createdModseq: UInt64 = 0, folderModseq: UInt64 = 0, mtime: Int64 = 0,
    legacySpecialUse: String? = nil, nameHistory: [FormerName] = []
  ) {
    self.name = name
    self.dbname = dbname
    self.type = type
    self.partition = partition
    self.server = server
    self.acl = acl
    self.uniqueID = uniqueID
    self.uidValidity = uidValidity
    self.createdModseq = createdModseq
    self.folderModseq = folderModseq
    self.mtime = mtime
    self.legacySpecialUse = legacySpecialUse
    self.nameHistory = nameHistory
  }
}

/// How a mailboxes.db file lays out its keys.
public enum MailboxesDBLayout: String, Hashable, Sendable {
  /// 2.2 – 3.4: key = internal name; value = text (2.2 – 2.4) or dlist (2.5 – 3.4).
  case byName
  /// 3.6: keyspaces `N` + dbname, `I` + uniqueid, `A…` reverse ACLs.
  case keyspaces36
}

/// What one mailboxes.db record holds.
public enum MailboxesDBItem: Hashable, Sendable {
  /// A mailbox: a 2.2 – 3.4 record, or a 3.6 `N` record.
  case mailbox(MailboxEntry)
  /// A 3.6 `I` record: the entry as indexed by uniqueid, with its name history.
  case uniqueIDRecord(MailboxEntry)
  /// A record that describes no mailbox: 3.6 `A` reverse-ACL keys, 3.0 – 3.4 `$RACL`/`$RUNQ`
  /// keys, the `\x1FVER\x1F` version key. The associated value is the key.
  case ignored([UInt8])
}
