import CyrusFormats

/// Where an instance keeps its mailbox list, and the uniqueids its name-based mailbox
/// directories record (for turning a 2.x dump into one 3.6's `ctl_mboxlist -u` accepts).
extension CyrusInstance {
  /// `deletedprefix` (lib/imapoptions default `DELETED`).
  public var deletedPrefix: String { conf["deletedprefix"] ?? MailboxName.defaultDeletedPrefix }

  /// The config directory on this host (re-rooted).
  public var configDirectory: String {
    areas.first { $0.role == .config }?.path
      ?? Self.reroot(conf["configdirectory"] ?? "/", under: root)
  }

  /// `mailboxes.db`: `mboxlist_db_path` (2.5+) when set, else `<configdirectory>/mailboxes.db`
  /// (`FNAME_MBOXLIST`, 2.2.13 imap/mboxlist.h:70), re-rooted like every configured path.
  public var mailboxesDBPath: String {
    if let explicit = conf["mboxlist_db_path"], !explicit.isEmpty {
      return explicit.hasPrefix("/")
        ? Self.reroot(explicit, under: root)
        : RootedPath.normalized(Self.join(configDirectory, explicit))
    }
    return Self.join(configDirectory, "mailboxes.db")
  }

  /// Refuses a `mboxlist_db_path` that leaves the root (`../../etc/shadow`, `/../x`).
  func checkMailboxesDBPath() throws(CyrusStoreError) {
    guard let root, let explicit = conf["mboxlist_db_path"], !explicit.isEmpty else { return }
    let escapes =
      explicit.hasPrefix("/")
      ? RootedPath.place(explicit, under: root) == nil
      : !RootedPath.isInside(Self.join(configDirectory, explicit), root: root)
    guard escapes else { return }
    throw CyrusStoreError(
      .badOption, path: conf.location(of: "mboxlist_db_path") ?? configFile,
      detail: "mboxlist_db_path: '\(explicit)' leaves the root \(root); not used")
  }

  /// `<configdirectory>/mailboxlist.txt`, where the Debian/UCS failover procedure keeps the
  /// `ctl_mboxlist -d` dump (a site convention, not a Cyrus setting).
  public var mailboxListDumpPath: String { Self.join(configDirectory, "mailboxlist.txt") }

  /// The spool root of `partition-NAME` on this host, if configured.
  public func partitionPath(_ name: String) -> String? {
    areas.first { $0.role == .partition && $0.name == "partition-" + name }?.path
  }

  /// Largest cyrus.header read for its uniqueid, in bytes.
  public static let mailboxHeaderSizeLimit = 1 << 16

  /// The uniqueid recorded in the `cyrus.header` of the name-based (legacy) directory of
  /// `name` on `partition`: line 2 `quotaroot TAB uniqueid` of the 2.2–3.4 format, or the `I`
  /// field of the 3.6 dlist (§6 of the formats reference).
  /// - Throws: ``CyrusStoreError`` when the partition is not configured, the name is not safe as
  ///   a path (`..`, `/`, control characters), or the header cannot be read or holds no
  ///   uniqueid.
  public func legacyHeaderUniqueID(of name: MailboxName, partition: String) throws(CyrusStoreError)
    -> String
  {
    guard let root = partitionPath(partition) else {
      throw CyrusStoreError(
        .missingOption, path: configFile,
        detail: "mailbox \(name): no 'partition-\(partition)' option")
    }
    guard name.isSafeAsPath else {
      throw CyrusStoreError(
        .badOption, path: root,
        detail:
          "mailbox name \(EntryPath.escape(Array(name.internalName.utf8))) is not safe as a path; not used"
      )
    }
    let directory = SpoolLocation(self).legacyDirectory(of: name.internalName)
    let path = Self.join(root, String(decoding: directory.bytes, as: UTF8.self)) + "/cyrus.header"
    let bytes = try SystemFiles.readFile(path, limit: Self.mailboxHeaderSizeLimit, root: root)
    let header: MailboxHeader
    do {
      header = try MailboxHeader.parse(bytes)
    } catch {
      throw CyrusStoreError(.badOption, path: path, detail: "cannot parse: \(error)")
    }
    guard let id = header.uniqueID, !id.isEmpty else {
      throw CyrusStoreError(.badOption, path: path, detail: "no uniqueid in this cyrus.header")
    }
    return id
  }
}
