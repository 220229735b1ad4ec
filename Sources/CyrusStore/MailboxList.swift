import CyrusFormats

/// The mailboxes of one instance, read from its `mailboxes.db` with every backend and value
/// layout Cyrus 2.2–3.6 wrote, sorted by internal name. Holds one entry per mailbox (never per
/// message).
public struct MailboxList: Sendable {
  /// Entries by name order (3.6 `N` records; 3.6 `I` records are not repeated here).
  public var entries: [MailboxEntry]
  /// How the file was read.
  public var kind: CyrusDBKind
  /// The key layout found.
  public var layout: MailboxesDBLayout?
  /// Non-fatal reader problems, and records that did not parse (with their key).
  public var problems: [String]
  /// `I` records (3.6) by uniqueid, for the uniqueid cross-check.
  public var uniqueIDRecords: [String: MailboxEntry]

  /// Reads `path` (detecting the backend unless `backend` is given).
  /// - Throws: ``CyrusDatabaseError`` when the file cannot be read to the end, or
  ///   ``CyrusStoreError`` when it cannot be opened.
  public static func read(
    path: String, backend: CyrusDBKind? = nil, deletedPrefix: String = "DELETED"
  ) throws
    -> MailboxList
  {
    try read(CyrusDatabaseFile(path: path, backend: backend), deletedPrefix: deletedPrefix)
  }

  /// Reads an opened mailboxes.db.
  static func read(_ file: CyrusDatabaseFile, deletedPrefix: String) throws -> MailboxList {
    var list = MailboxList(
      entries: [], kind: file.kind, layout: nil, problems: [], uniqueIDRecords: [:])
    var undecided: [CyrusDBRecord] = []
    func take(_ record: CyrusDBRecord, layout: MailboxesDBLayout) {
      do {
        switch try MailboxEntry.parseRecord(
          key: record.key, value: record.value, layout: layout, deletedPrefix: deletedPrefix)
        {
        case .mailbox(let entry): list.entries.append(entry)
        case .uniqueIDRecord(let entry):
          if let id = entry.uniqueID { list.uniqueIDRecords[id] = entry }
        case .ignored: break
        }
      } catch {
        list.problems.append(
          "record \(Self.printable(record.key)) at offset 0x\(String(record.offset, radix: 16, uppercase: true)): \(error)"
        )
      }
    }
    let warnings = try file.forEachRecord(flatEscaping: .binarySafe) { record in
      if let layout = list.layout {
        take(record, layout: layout)
        return
      }
      undecided.append(record)
      if let layout = MailboxEntry.guessLayout(key: record.key, value: record.value) {
        list.layout = layout
        for held in undecided { take(held, layout: layout) }
        undecided.removeAll()
      }
    }
    if !undecided.isEmpty {
      list.layout = .byName
      for held in undecided { take(held, layout: .byName) }
    }
    list.problems += warnings.map { "\($0)" }
    list.entries.sort { $0.name < $1.name }
    return list
  }

  /// A key for messages: printable ASCII as is, other bytes as `\xNN`.
  static func printable(_ bytes: [UInt8]) -> String {
    EntryPath.escape(bytes)
  }
}
