/// Compares the entries of a mailboxes.db with a `ctl_mboxlist -d` dump of it: is the dump
/// stale or incomplete? A merge of both lists sorted by internal name; each difference is a
/// value, with both sides shown.
///
/// Only the fields the dump's format holds are compared (``fields(of:)``): the upstream 2.2
/// format has no mbtype, and only 3.6 JSON has the uniqueid, uidvalidity, modseqs and mtime.
/// ACLs compare as sets of identifier → rights (``ACL``'s equality), so `lrswipcda` equals
/// `lrswipkxtecda`. Intermediate entries (`i`) of the database are left out unless the dump
/// holds some (`ctl_mboxlist -d` prints them only with `-y`).
public enum MailboxListDumpCheck {
  /// One difference between database and dump.
  public struct Difference: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable {
      /// In mailboxes.db, not in the dump (the dump is incomplete or older than the mailbox).
      case missingInDump = "dump.missing"
      /// In the dump, not in mailboxes.db (deleted or renamed since the dump).
      case extraInDump = "dump.extra"
      /// In both, a field differs.
      case mismatch = "dump.mismatch"
      /// The dump names the same mailbox twice.
      case duplicateInDump = "dump.duplicate"
    }
    public var kind: Kind
    public var name: MailboxName
    /// The field that differs (``Kind/mismatch`` only): `partition`, `server`, `mbtype`, `acl`,
    /// `uniqueid`, `uidvalidity`, `createdmodseq`, `foldermodseq`, `mtime`.
    public var field: String?
    /// The value in mailboxes.db, when there is one.
    public var database: String?
    /// The value in the dump, when there is one.
    public var dump: String?

    public init(
      _ kind: Kind, _ name: MailboxName, field: String? = nil, database: String? = nil,
      dump: String? = nil
    ) {
      self.kind = kind
      self.name = name
      self.field = field
      self.database = database
      self.dump = dump
    }

    public var description: String {
      var s = "\(kind.rawValue) \(name)"
      if let field { s += " \(field)" }
      if kind == .mismatch { s += ": db \(database ?? "(none)"), dump \(dump ?? "(none)")" }
      return s
    }
  }

  /// The fields a dump of `format` holds, compared in this order.
  public static func fields(of format: MailboxListDump.Format) -> [String] {
    switch format {
    case .cyrus22: ["partition", "acl"]
    case .cyrus22Debian, .cyrus23, .cyrus30: ["mbtype", "server", "partition", "acl"]
    case .cyrus36:
      [
        "mbtype", "server", "partition", "acl", "uniqueid", "uidvalidity", "createdmodseq",
        "foldermodseq", "mtime",
      ]
    }
  }

  /// The differences, in name order.
  public static func compare(
    database: [MailboxEntry], dump: [MailboxEntry], format: MailboxListDump.Format
  ) -> [Difference] {
    let withIntermediates = dump.contains { $0.type.flags.contains(.intermediate) }
    let left = database.filter { withIntermediates || !$0.type.flags.contains(.intermediate) }
      .sorted { $0.name < $1.name }
    let right = dump.enumerated().sorted { a, b in
      a.element.name == b.element.name ? a.offset < b.offset : a.element.name < b.element.name
    }.map(\.element)
    var result: [Difference] = []
    var i = 0
    var j = 0
    while i < left.count || j < right.count {
      if j > 0, j < right.count, right[j].name == right[j - 1].name {
        result.append(Difference(.duplicateInDump, right[j].name))
        j += 1
        continue
      }
      if j >= right.count || (i < left.count && left[i].name < right[j].name) {
        result.append(Difference(.missingInDump, left[i].name))
        i += 1
      } else if i >= left.count || right[j].name < left[i].name {
        result.append(Difference(.extraInDump, right[j].name))
        j += 1
      } else {
        for field in fields(of: format) {
          let a = value(field, of: left[i], format: format)
          let b = value(field, of: right[j], format: format)
          if a.comparable != b.comparable {
            result.append(
              Difference(.mismatch, left[i].name, field: field, database: a.shown, dump: b.shown))
          }
        }
        i += 1
        j += 1
      }
    }
    return result
  }

  /// A field as compared (normalized) and as shown.
  static func value(_ field: String, of e: MailboxEntry, format: MailboxListDump.Format) -> (
    comparable: AnyHashable?, shown: String?
  ) {
    switch field {
    case "mbtype":
      if format == .cyrus36 { return (e.type, e.type.cyrus36Letters) }
      return (e.type.legacyNumber, String(e.type.legacyNumber))
    case "server": return (e.server, e.server)
    case "partition": return (e.partition, e.partition)
    case "acl":
      let shown = e.acl.entries.map { "\($0.identifier)=\($0.rawRights)" }.joined(separator: " ")
      return (e.acl, "{\(shown)}")
    case "uniqueid": return (e.uniqueID, e.uniqueID)
    case "uidvalidity": return (e.uidValidity, String(e.uidValidity))
    case "createdmodseq": return (e.createdModseq, String(e.createdModseq))
    case "foldermodseq": return (e.folderModseq, String(e.folderModseq))
    case "mtime": return (e.mtime, String(e.mtime))
    default: preconditionFailure("unknown field \(field); fields(of:) lists the valid ones")
    }
  }
}
