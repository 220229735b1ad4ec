import CyrusFormats
import CyrusStore

/// What the mailbox-list checks know of one side: its mailboxes.db, its dump, the spool rule
/// and the mailbox directories its walk found. Built from local files here; a remote side can
/// build the same value from data sent over its protocol.
public struct MailboxSide: Sendable {
  /// Which side.
  public var side: Side
  /// The spool path rule of the instance.
  public var location: SpoolLocation
  /// Area names the instance has (to tell a missing partition from a missing directory).
  public var areaNames: Set<String>
  /// The mailbox list, or why it could not be read.
  public var list: Result<MailboxList, MailboxSideError>
  /// `mailboxlist.txt` from the config directory: absent, parsed (with its format), or why it
  /// could not be.
  public var dump:
    Result<(format: MailboxListDump.Format?, entries: [MailboxEntry]), MailboxSideError>?
  /// Directories holding a cyrus.header, from the walk.
  public var directories: [MailboxDirectory]

  /// Builds a side from its mailbox files (read locally, or carried by an agent or a saved
  /// manifest), its area names and the mailbox directories of its stream; a Berkeley DB
  /// mailboxes.db is read through `berkeley`.
  public static func load(
    _ files: MailboxFiles, side: Side, areaNames: Set<String>, directories: [MailboxDirectory],
    berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) -> MailboxSide {
    let list: Result<MailboxList, MailboxSideError>
    do {
      list = .success(try files.mailboxList(berkeley: berkeley))
    } catch {
      list = .failure(MailboxSideError(path: files.databasePath, reason: "\(error)"))
    }
    var dump: Result<(format: MailboxListDump.Format?, entries: [MailboxEntry]), MailboxSideError>?
    switch files.dump {
    case .absent:
      dump = nil
    case .unreadable(let reason):
      dump = .failure(MailboxSideError(path: files.dumpPath, reason: reason))
    case .bytes, .file:
      // A chunk at a time: memory holds the entries and one line, never the whole text.
      do {
        var parser = MailboxListDumpParser()
        var entries: [MailboxEntry] = []
        try files.dump.forEachChunk { chunk in try parser.feed(chunk) { entries.append($0) } }
        try parser.finish()
        dump = .success((parser.format, entries))
      } catch {
        dump = .failure(MailboxSideError(path: files.dumpPath, reason: "\(error)"))
      }
    }
    return MailboxSide(
      side: side, location: files.location, areaNames: areaNames, list: list, dump: dump,
      directories: directories)
  }
}

/// Why a side's mailbox data could not be read.
public struct MailboxSideError: Error, Sendable, CustomStringConvertible {
  /// The file.
  public var path: String
  /// What went wrong, with the place in the file where known.
  public var reason: String
  public var description: String { reason.hasPrefix(path) ? reason : "\(path): \(reason)" }
}
