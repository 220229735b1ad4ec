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
  public var problems: [MailboxListProblem]
  /// `I` records (3.6) by uniqueid, for the uniqueid cross-check.
  public var uniqueIDRecords: [String: MailboxEntry]

  /// Reads `path` (detecting the backend unless `backend` is given; a Berkeley DB file through
  /// `berkeley`).
  /// - Throws: ``CyrusDatabaseError`` when the file cannot be read to the end, or
  ///   ``CyrusStoreError`` when it cannot be opened.
  public static func read(
    path: String, backend: CyrusDBKind? = nil, deletedPrefix: String = "DELETED",
    berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) throws -> MailboxList {
    try read(
      CyrusDatabaseFile(path: path, backend: backend, berkeley: berkeley),
      deletedPrefix: deletedPrefix)
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
          .recordInvalid(key: record.key, offset: record.offset, reason: "\(error)"))
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
    list.problems += warnings.map { .readerWarning($0) }
    list.entries.sort { $0.name < $1.name }
    return list
  }
}

/// Something wrong with mailboxes.db that did not stop it from being read.
public enum MailboxListProblem: Sendable, Equatable, CustomStringConvertible {
  /// A record that does not parse as a mailbox entry of any version: its key, its byte offset
  /// in the file, and why.
  case recordInvalid(key: [UInt8], offset: Int, reason: String)
  /// A warning of the backend's reader (a record count that disagrees, an uncommitted tail).
  case readerWarning(CyrusDBError)

  public var description: String {
    switch self {
    case .recordInvalid(let key, let offset, let reason):
      "record \(EntryPath.escape(key)) at offset 0x\(String(offset, radix: 16, uppercase: true)): \(reason)"
    case .readerWarning(let warning): "\(warning)"
    }
  }
}
