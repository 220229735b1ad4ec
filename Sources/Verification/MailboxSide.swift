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
  public var dump: Result<(format: MailboxListDump.Format?, entries: [MailboxEntry]), MailboxSideError>?
  /// Directories holding a cyrus.header, from the walk.
  public var directories: [MailboxDirectory]

  /// Reads the mailbox data of a local instance.
  public static func load(_ instance: CyrusInstance, side: Side, directories: [MailboxDirectory]) -> MailboxSide {
    let databasePath = instance.mailboxesDBPath
    let list: Result<MailboxList, MailboxSideError>
    do {
      list = .success(try MailboxList.read(path: databasePath, deletedPrefix: instance.deletedPrefix))
    } catch {
      list = .failure(MailboxSideError(path: databasePath, reason: "\(error)"))
    }
    let dumpPath = instance.mailboxListDumpPath
    var dump: Result<(format: MailboxListDump.Format?, entries: [MailboxEntry]), MailboxSideError>?
    if case .success(.file) = SystemFilesPublic.kind(of: dumpPath) {
      do {
        dump = .success(try MailboxListDumpFile.read(path: dumpPath))
      } catch {
        dump = .failure(MailboxSideError(path: dumpPath, reason: "\(error)"))
      }
    }
    return MailboxSide(
      side: side, location: SpoolLocation(instance), areaNames: Set(instance.areas.map(\.name)), list: list,
      dump: dump, directories: directories)
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
