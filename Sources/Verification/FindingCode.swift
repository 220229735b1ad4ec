/// A stable, dotted finding code with its default severity and a one-line meaning.
///
/// The catalog below is the single list of codes; docs/findings.md documents each (a test
/// checks that every code is there). Codes never change meaning once released.
public struct FindingCode: Hashable, Sendable, Codable, CustomStringConvertible {
  /// The dotted code, e.g. `file.missing`.
  public let rawValue: String
  /// Severity unless the finding says otherwise.
  public let defaultSeverity: Severity
  /// One line for humans.
  public let summary: String
  /// Whether the finding means part of a side was not checked at all (exit status 2).
  public var meansIncomplete: Bool {
    [
      "file.unreadable", "directory.unlistable", "manifest.out-of-order", "mailboxes-db.unreadable",
      "mailboxes-db.record-invalid", "index.unreadable",
    ].contains(rawValue)
  }

  public var description: String { rawValue }

  /// What a code is about.
  public enum Scope: String, Sendable {
    /// How the two copies differ: only a comparison finds it.
    case difference
    /// The state of one side's own data (damage, an orphan, a stale dump, a file that could
    /// not be read): found on each side alike, it does not make the copies differ.
    case condition
  }

  /// What the code is about (docs/findings.md says it for each).
  public var scope: Scope {
    [
      "symlink.outside-area", "file.special", "file.unreadable", "directory.unlistable",
      "file.vanished", "file.changed-while-reading", "manifest.out-of-order",
      "mailbox.header-uniqueid-mismatch", "mailbox.directory-missing", "mailbox.directory-orphan",
      "mailbox.name-unsafe", "mailboxes-db.unreadable", "mailboxes-db.record-invalid",
      "mailboxlist.stale", "mailboxlist.malformed", "message.file-missing", "message.size-mismatch",
      "message.file-orphan", "message.guid-mismatch", "index.damaged", "index.unreadable",
      "subscriptions.unknown-mailbox", "state.damaged",
    ].contains(rawValue) ? .condition : .difference
  }

  public static func == (lhs: FindingCode, rhs: FindingCode) -> Bool {
    lhs.rawValue == rhs.rawValue
  }
  public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

  public init(from decoder: any Decoder) throws {
    let raw = try decoder.singleValueContainer().decode(String.self)
    guard let known = FindingCode.all.first(where: { $0.rawValue == raw }) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "unknown code \(raw)"))
    }
    self = known
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  private init(_ rawValue: String, _ severity: Severity, _ summary: String) {
    self.rawValue = rawValue
    self.defaultSeverity = severity
    self.summary = summary
  }

  // MARK: Files and directories (the manifest diff)
  public static let fileMissing = FindingCode(
    "file.missing", .error, "on the primary, not on the failover")
  public static let fileExtra = FindingCode(
    "file.extra", .error, "on the failover, not on the primary")
  public static let directoryMissing = FindingCode(
    "directory.missing", .error,
    "a whole directory (and everything in it) is missing on the failover")
  public static let directoryExtra = FindingCode(
    "directory.extra", .error,
    "a whole directory (and everything in it) exists only on the failover")
  public static let typeMismatch = FindingCode(
    "file.type-mismatch", .error, "a file on one side, something else on the other")
  public static let sizeMismatch = FindingCode("file.size-mismatch", .error, "sizes differ")
  public static let contentMismatch = FindingCode(
    "file.content-mismatch", .error, "same size, different content (SHA-256)")
  public static let modeMismatch = FindingCode(
    "file.mode-mismatch", .warning, "permission bits differ")
  public static let ownerMismatch = FindingCode(
    "file.owner-mismatch", .error, "owning user differs")
  public static let groupMismatch = FindingCode(
    "file.group-mismatch", .warning, "owning group differs")
  public static let mtimeMismatch = FindingCode(
    "file.mtime-mismatch", .warning, "modification times differ")
  public static let hardLinkMismatch = FindingCode(
    "file.hardlink-mismatch", .warning,
    "hard-link structure differs (single-instance store links broken or added)")
  public static let fileRebuilt = FindingCode(
    "file.rebuilt", .info,
    "a file the other version's Cyrus rebuilds (a cache, annotations) differs or is one-sided after an upgrade"
  )
  public static let symlinkTargetMismatch = FindingCode(
    "symlink.target-mismatch", .error, "symlink targets differ")
  public static let symlinkOutside = FindingCode(
    "symlink.outside-area", .warning,
    "a symlink points outside its area (Cyrus never creates these)")
  public static let specialFile = FindingCode(
    "file.special", .warning, "a FIFO, socket or device file inside a Cyrus tree (not runtime-only)"
  )

  // MARK: Things that could not be checked
  public static let unreadable = FindingCode(
    "file.unreadable", .error, "could not be read, so it was not compared")
  public static let unlistable = FindingCode(
    "directory.unlistable", .error,
    "a directory could not be listed, so nothing below it was compared")
  public static let vanished = FindingCode(
    "file.vanished", .warning, "listed, then gone before it could be examined (live spool)")
  public static let changedWhileReading = FindingCode(
    "file.changed-while-reading", .warning,
    "changed while its content was read (live spool); compare again when quiet")
  public static let outOfOrder = FindingCode(
    "manifest.out-of-order", .error,
    "a manifest source gave an entry out of canonical order; the entry was skipped")

  // MARK: The mailbox list (mailboxes.db, its dump, and the spool it describes)
  public static let mailboxMissing = FindingCode(
    "mailbox.missing", .error, "in the primary's mailboxes.db, not in the failover's")
  public static let mailboxExtra = FindingCode(
    "mailbox.extra", .error, "in the failover's mailboxes.db, not in the primary's")
  public static let mailboxPartitionMismatch = FindingCode(
    "mailbox.partition-mismatch", .error, "mailbox on another partition")
  public static let mailboxTypeMismatch = FindingCode(
    "mailbox.type-mismatch", .error, "mailbox type or flags differ")
  public static let mailboxACLMismatch = FindingCode(
    "mailbox.acl-mismatch", .error, "ACLs differ (compared as identifier → rights sets)")
  public static let mailboxUniqueIDMismatch = FindingCode(
    "mailbox.uniqueid-mismatch", .error, "uniqueids differ")
  public static let mailboxHeaderUniqueIDMismatch = FindingCode(
    "mailbox.header-uniqueid-mismatch", .error,
    "a mailbox's cyrus.header records another uniqueid than its side's mailboxes.db")
  public static let mailboxDirectoryMissing = FindingCode(
    "mailbox.directory-missing", .error,
    "a mailboxes.db entry whose spool directory (with cyrus.header) is not there")
  public static let mailboxDirectoryOrphan = FindingCode(
    "mailbox.directory-orphan", .warning,
    "a spool directory with a cyrus.header that no mailboxes.db entry names")
  public static let mailboxNameUnsafe = FindingCode(
    "mailbox.name-unsafe", .error,
    "a mailbox name that would map outside the spool (never used as a path)")
  public static let mailboxesDBUnreadable = FindingCode(
    "mailboxes-db.unreadable", .error,
    "mailboxes.db could not be read to the end; the mailbox list was not compared")
  public static let mailboxesDBRecordInvalid = FindingCode(
    "mailboxes-db.record-invalid", .error,
    "a mailboxes.db record that does not parse, or a reader warning")
  public static let mailboxesDBRewritten = FindingCode(
    "mailboxes-db.rewritten", .info,
    "mailboxes.db differs in bytes, not in any entry (another backend, a repack)")
  public static let mailboxListStale = FindingCode(
    "mailboxlist.stale", .warning,
    "the ctl_mboxlist dump (mailboxlist.txt) disagrees with mailboxes.db")
  public static let mailboxListMalformed = FindingCode(
    "mailboxlist.malformed", .warning, "mailboxlist.txt could not be read or parsed")

  // MARK: Inside a mailbox (its cyrus.index against the message files beside it, per side)
  public static let messageFileMissing = FindingCode(
    "message.file-missing", .error, "a live cyrus.index record whose message file is not there")
  public static let messageSizeMismatch = FindingCode(
    "message.size-mismatch", .error, "a message file whose size differs from its cyrus.index record"
  )
  public static let messageFileOrphan = FindingCode(
    "message.file-orphan", .warning,
    "a message file with no cyrus.index record (or an unlinked one)")
  public static let indexDamaged = FindingCode(
    "index.damaged", .error,
    "cyrus.index has damage a reader can see (CRC, UID order, truncation, counters)")
  public static let indexUnreadable = FindingCode(
    "index.unreadable", .error,
    "cyrus.index could not be read; the mailbox's messages were not checked against it")

  public static let messageGUIDMismatch = FindingCode(
    "message.guid-mismatch", .error,
    "a message file whose SHA-1 is not the GUID its cyrus.index records (--level guid)")
  public static let indexMismatch = FindingCode(
    "index.mismatch", .error, "the two copies of a mailbox's cyrus.index disagree on its messages")
  public static let indexRewritten = FindingCode(
    "index.rewritten", .info,
    "cyrus.index bytes differ, its messages do not (an upgraded or rewritten index)")

  // MARK: Per-user state in the config directory
  public static let seenMismatch = FindingCode(
    "seen.mismatch", .error, "a user's seen state differs (compared as seen sets, not bytes)")
  public static let subscriptionsMismatch = FindingCode(
    "subscriptions.mismatch", .error, "a user's subscriptions differ (compared as a set of names)")
  public static let subscriptionsUnknownMailbox = FindingCode(
    "subscriptions.unknown-mailbox", .info,
    "a subscription to a mailbox its side's mailboxes.db does not hold (deleted or renamed since)")
  public static let quotaMismatch = FindingCode(
    "quota.mismatch", .error, "a quota root's limits differ (administrator state: not recomputable)"
  )
  public static let quotaUsageMismatch = FindingCode(
    "quota.usage-mismatch", .warning, "a quota root's usage differs (recomputable with quota -f)")
  public static let stateRewritten = FindingCode(
    "state.rewritten", .info,
    "a seen or subscription file differs in bytes, not in meaning (another backend, a repack)")
  public static let stateDamaged = FindingCode(
    "state.damaged", .error,
    "a seen or subscription file could not be read or a record did not parse")

  /// Every code, in documentation order.
  public static let all: [FindingCode] = [
    fileMissing, fileExtra, directoryMissing, directoryExtra, typeMismatch, sizeMismatch,
    contentMismatch,
    modeMismatch, ownerMismatch, groupMismatch, mtimeMismatch, hardLinkMismatch, fileRebuilt,
    symlinkTargetMismatch,
    symlinkOutside, specialFile, unreadable, unlistable, vanished, changedWhileReading, outOfOrder,
    mailboxMissing, mailboxExtra, mailboxPartitionMismatch, mailboxTypeMismatch, mailboxACLMismatch,
    mailboxUniqueIDMismatch, mailboxHeaderUniqueIDMismatch, mailboxDirectoryMissing,
    mailboxDirectoryOrphan, mailboxNameUnsafe,
    mailboxesDBUnreadable, mailboxesDBRecordInvalid, mailboxesDBRewritten, mailboxListStale,
    mailboxListMalformed,
    messageFileMissing, messageSizeMismatch, messageFileOrphan, messageGUIDMismatch, indexDamaged,
    indexUnreadable,
    indexMismatch,
    indexRewritten, seenMismatch, subscriptionsMismatch, subscriptionsUnknownMailbox, quotaMismatch,
    quotaUsageMismatch,
    stateRewritten,
    stateDamaged,
  ]
}
