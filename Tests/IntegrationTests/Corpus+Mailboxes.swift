import CyrusFormats
import CyrusStore
import Foundation

extension Corpus {
  /// The primary's mailbox list (uniqueids by name, as the fixture's Cyrus made them).
  func primaryMailboxes() throws -> [String: MailboxEntry] {
    let list = try MailboxList.read(path: primary + "/var/lib/cyrus/mailboxes.db")
    return Dictionary(list.entries.map { ($0.name.internalName, $0) }) { first, _ in first }
  }

  /// The uniqueid of a mailbox of the example pair.
  func uniqueID(of mailbox: String) throws -> String {
    guard let id = try primaryMailboxes()[mailbox]?.uniqueID else {
      throw ToolError(message: "no uniqueid for \(mailbox)")
    }
    return id
  }

  /// A 3.6 per-user file of the config directory (`seen.db`, `sub.db`) of `user`, relative to
  /// the config directory: `user/uuid/<c1>/<c2>/<INBOX uniqueid>/<name>`.
  func userFile(_ name: String, of user: String) throws -> String {
    let id = Array(try uniqueID(of: "user.\(user)"))
    return "user/uuid/\(id[0])/\(id[1])/\(String(id))/\(name)"
  }

  /// Takes the right `i` (insert) from anna on `shared.announcements` in the failover's
  /// mailboxes.db, as `cyr_dbtool` writes it: a mailbox list that differs in one ACL.
  func narrowFailoverACL() throws {
    let database = failover + "/var/lib/cyrus/mailboxes.db"
    let key = Array("N".utf8) + Array("shared".utf8) + [0x1F] + Array("announcements".utf8)
    var value: String?
    try CyrusDatabaseFile(path: database).forEachRecord { record in
      if record.key == key { value = String(decoding: record.value, as: UTF8.self) }
    }
    guard let value, value.contains(" anna lrswi)") else {
      throw ToolError(message: "no ACL for anna on shared.announcements in \(database)")
    }
    try CyrDBTool(self).run(
      database, "twoskip", "set", String(decoding: key, as: UTF8.self),
      value.replacingOccurrences(of: " anna lrswi)", with: " anna lrsw)"))
  }

  /// The records of a file of the primary's config directory.
  func primaryRecords(_ relative: String) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try CyrusDatabaseFile(path: primary + "/var/lib/cyrus/" + relative).forEachRecord {
      records.append($0)
    }
    return records
  }
}
