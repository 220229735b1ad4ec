/// One directory tree of a Cyrus instance that is walked and compared as a unit.
public struct StoreArea: Sendable, Equatable {
  /// What the tree holds.
  public enum Role: String, Sendable {
    /// `configdirectory`: mailboxes.db, seen state, subscriptions, quota.
    case config
    /// `partition-NAME`: the mail spool.
    case partition
    /// `metapartition-NAME` (2.3+): cyrus.* files kept apart from the messages.
    case metapartition
    /// `archivepartition-NAME` (3.0+): archived message files.
    case archivePartition
    /// `sievedir`: Sieve scripts, outside both the config directory and the spool.
    case sieve
  }

  /// Stable name used in findings and for pairing areas across sides: `config`,
  /// `partition-default`, `metapartition-NAME`, `archivepartition-NAME`, `sieve`.
  public var name: String
  /// What the tree holds.
  public var role: Role
  /// The path as `imapd.conf` states it.
  public var configuredPath: String
  /// The path on this host (re-rooted when a root was given).
  public var path: String
  /// Whether the area may be absent without that being a problem (the sieve directory of a site
  /// that never used Sieve).
  public var optional: Bool
  /// Subtrees to leave out because another area covers them (a partition inside the config
  /// directory, say).
  public var excluded: [EntryPath]
  /// The instance's root, when its paths are placed under one: the area is then opened from
  /// the root one component at a time, never through a symlink (``FileOpening``).
  public var root: String?

  /// Makes an area.
  public init(
    name: String, role: Role, configuredPath: String, path: String, optional: Bool = false,
    excluded: [EntryPath] = [], root: String? = nil
  ) {
    self.name = name
    self.role = role
    self.configuredPath = configuredPath
    self.path = path
    self.optional = optional
    self.excluded = excluded
    self.root = root
  }
}
