/// A user's subscriptions: the set of internal mailbox names in their subscription database
/// (`<userid>.sub` or 3.6 `sub.db`, flat by default; format reference §9).
///
/// Two record layouts:
/// - ``Layout/legacy`` (2.2 – 3.4): key = internal name, empty value
///   (2.2.13 cyrus/imap/mboxlist.c:3092).
/// - ``Layout/version2`` (3.6, after `mboxlist_upgrade_subs`, 3.6.1 imap/mboxlist.c:5608-5720):
///   a version record `0x1F "VER" 0x1F` → `2`, and per subscription the key `N` + dbname, where
///   a dbname starting with the owner's INBOX dbname has that prefix written `INBOX`
///   (`mboxlist_dbname_to_key` / `_from_key`, :366-400).
///
/// Names are kept even when the mailbox no longer exists (`allowallsubscribe`, renames).
public struct Subscriptions: Hashable, Sendable {
  public enum Layout: String, Hashable, Sendable {
    case legacy
    case version2
  }

  /// Most subscriptions accepted for one user. Unit: records.
  public static let maxRecords = 100_000
  /// Cap on stored ``problems``.
  public static let maxProblems = 100
  /// The key of the 3.6 version record, `DB_VERSION_KEY`.
  public static let versionKey: [UInt8] = [0x1F] + Array("VER".utf8) + [0x1F]

  public var layout: Layout
  /// The subscribed mailboxes as internal names.
  public var mailboxes: Set<MailboxName>
  /// Records skipped because they fit neither layout (a 3.6 key without `N`), at their
  /// offsets; at most ``maxProblems``.
  public var problems: [MailboxFormatError]

  /// Builds the set from the records of a subscription database, for the user `userid`
  /// (`fred`, or `fred@example.com` with virtual domains; a domain equal to `defaultDomain`
  /// is dropped as Cyrus does).
  ///
  /// Throws ``MailboxFormatError``: `unsupportedVersion` for a version record other than `2`,
  /// `lengthLimit` for more than ``maxRecords`` records.
  public init<S: Sequence>(
    records: S, userid: String, defaultDomain: String? = nil,
    deletedPrefix: String = MailboxName.defaultDeletedPrefix
  ) throws where S.Element == CyrusDBRecord {
    var keys: [CyrusDBRecord] = []
    var layout = Layout.legacy
    for record in records {
      if record.key == Self.versionKey {
        guard record.value == Array("2".utf8) else {
          throw MailboxFormatError(
            .unsupportedVersion, offset: record.offset,
            detail: "subscription db version \(String(decoding: record.value, as: UTF8.self))")
        }
        layout = .version2
        continue
      }
      guard keys.count < Self.maxRecords else {
        throw MailboxFormatError(
          .lengthLimit, offset: record.offset, detail: "more than \(Self.maxRecords) subscriptions")
      }
      keys.append(record)
    }
    self.layout = layout
    self.mailboxes = []
    self.problems = []
    guard layout == .version2 else {
      for r in keys { mailboxes.insert(MailboxName(String(decoding: r.key, as: UTF8.self))) }
      return
    }
    let inbox = Self.inboxName(userid: userid, defaultDomain: defaultDomain)
    let inboxDBName = inbox.dbname(deletedPrefix: deletedPrefix, defaultDomain: defaultDomain)
    let inboxKey = Array("NINBOX".utf8)
    for r in keys {
      guard r.key.first == UInt8(ascii: "N") else {
        if problems.count < Self.maxProblems {
          problems.append(
            MailboxFormatError(.malformed, offset: r.offset, detail: "key without N prefix"))
        }
        continue
      }
      var dbname = Array(r.key.dropFirst())
      if r.key.starts(with: inboxKey) { dbname = inboxDBName + r.key.dropFirst(inboxKey.count) }
      mailboxes.insert(
        MailboxName(dbname: dbname, deletedPrefix: deletedPrefix, defaultDomain: defaultDomain))
    }
  }

  /// The internal name of a user's INBOX, as `mbname_from_userid` + `mbname_intname` make it:
  /// `user.<local>` with `.` in the local part written `^`, and `<domain>!` in front for
  /// `local@domain` unless the domain is `defaultDomain`.
  public static func inboxName(userid: String, defaultDomain: String? = nil) -> MailboxName {
    var local = Substring(userid)
    var domain: Substring? = nil
    if let at = userid.firstIndex(of: "@") {
      local = userid[..<at]
      domain = userid[userid.index(after: at)...]
    }
    let box = "user." + String(local.map { $0 == "." ? "^" : $0 })
    guard let domain, !domain.isEmpty, String(domain) != defaultDomain else {
      return MailboxName(box)
    }
    return MailboxName("\(domain)!\(box)")
  }
}
