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

  /// The records of a file of the primary's config directory.
  func primaryRecords(_ relative: String) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try CyrusDatabaseFile(path: primary + "/var/lib/cyrus/" + relative).forEachRecord {
      records.append($0)
    }
    return records
  }
}
