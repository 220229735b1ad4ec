import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// An open directory of a walk: its descriptor, and its entry names sorted bytewise.
///
/// Only one directory's names are held per level of the walk, so memory grows with the depth
/// and the widest directory, never with the number of files in the tree.
final class DirectoryListing {
  /// The directory's descriptor (`O_DIRECTORY|O_NOFOLLOW`), closed by this object.
  let fd: Int32
  /// Path of the directory relative to its area root.
  let path: EntryPath
  /// Entry names, sorted bytewise (the canonical order).
  let names: DirectoryNames
  /// The next name to visit.
  var index = 0
  /// The mailbox the directory holds or belongs to.
  let mailbox: String?
  /// What the directory's cyrus.index says about its message files (for the cyrus.header
  /// entry), once ``finishIndexNotes()`` has put them together.
  var notes: [MailboxNote] = []
  /// The index check's notes while the walk examines the message files, whose sizes they wait
  /// for; `nil` once they are in ``notes`` (or when there is no index check here).
  var pendingNotes: PendingMailboxNotes?
  /// The directory's cyrus.index reduced to what copies must agree on (for the cyrus.index entry).
  var indexSummary: IndexSummary?
  /// Index GUIDs by UID (`--level guid` only): what each message file's SHA-1 must be.
  var guids: [UInt32: MessageGUID] = [:]
  /// GUID mismatches found reading the message files (`--level guid`), the first
  /// ``MailboxNote/limitPerMailbox``; they go after ``notes``, within the same limit.
  var guidNotes: [MailboxNote] = []
  /// GUID mismatches past those.
  var droppedGUIDMismatches = 0
  /// The uniqueid in the directory's cyrus.header (for the cyrus.header entry).
  var headerUniqueID: String?
  /// Whether the directory holds a cyrus.header, which carries the mailbox's notes; without one
  /// (a partition directory whose cyrus.* files are in a metapartition) a message file's GUID
  /// mismatch goes on the message file's own entry.
  var hasHeader = false

  /// Lists an already-open directory; takes ownership of `fd`.
  init(fd: Int32, path: EntryPath, mailbox: String?, names: DirectoryNames) {
    self.fd = fd
    self.path = path
    self.mailbox = mailbox
    self.names = names
  }

  deinit { close(fd) }

  /// Puts the index check's notes together, comparing the sizes the walk has not (see
  /// ``PendingMailboxNotes``). Called when the walk examines the directory's cyrus.header,
  /// after every message file.
  func finishIndexNotes() {
    guard var pending = pendingNotes else { return }
    pendingNotes = nil
    notes = pending.notes(messageDirectoryFD: fd)
  }
}
