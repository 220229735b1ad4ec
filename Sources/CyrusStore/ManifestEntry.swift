/// What kind of file system object an entry is.
public enum EntryKind: String, Sendable, Codable {
  case file, directory, symlink, fifo, socket, blockDevice, characterDevice, unknown
}

/// A moment as the file system records it.
public struct Timestamp: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// Seconds since the epoch.
  public var seconds: Int64
  /// Nanoseconds within the second.
  public var nanoseconds: Int32

  /// Makes a timestamp.
  public init(seconds: Int64, nanoseconds: Int32 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
  }

  public var description: String {
    nanoseconds == 0
      ? "\(seconds)" : "\(seconds).\(String(nanoseconds + 1_000_000_000).dropFirst())"
  }
}

/// Something that went wrong reading one entry of a live tree; the walk goes on.
public enum EntryProblem: Error, Sendable, Equatable {
  /// The entry was listed but had gone by the time it was examined (errno text attached).
  case vanished
  /// Permission denied, or another error, reading it.
  case unreadable(String)
  /// Its size or mtime changed, or it was replaced, while its content was being read.
  case changedWhileReading
  /// A directory whose entries could not be listed; its content is unknown.
  case unlistable(String)
}

/// One file system object of a Cyrus instance, as both the walker and a saved or remote
/// manifest describe it. Everything the diff compares is here; nothing else is kept.
public struct ManifestEntry: Sendable, Equatable {
  /// The area name (`config`, `partition-default`, …) the entry belongs to.
  public var area: String
  /// Path relative to the area root.
  public var path: EntryPath
  /// File, directory, link, …
  public var kind: EntryKind
  /// Size in bytes (files and links; 0 for directories, which differ by file system).
  public var size: UInt64
  /// Permission bits with setuid/setgid/sticky (`st_mode & 07777`).
  public var mode: UInt32
  /// Numeric owner.
  public var uid: UInt32
  /// Numeric group.
  public var gid: UInt32
  /// Owner name on its host, when it resolves.
  public var owner: String?
  /// Group name on its host, when it resolves.
  public var group: String?
  /// Modification time.
  public var mtime: Timestamp
  /// A symlink's target, as bytes.
  public var linkTarget: [UInt8]?
  /// SHA-256 of a file's content (`--level full` only).
  public var digest: [UInt8]?
  /// For a file with more than one hard link: the first path (canonical order, this side, any
  /// area) that names the same inode, written `area:path`; the entry's own path when it is first.
  public var hardLinkLeader: String?
  /// The mailbox this entry belongs to, when the walker can tell.
  public var mailbox: String?
  /// What went wrong examining this entry, if anything.
  public var problem: EntryProblem?
  /// On a mailbox directory's `cyrus.header`: what its `cyrus.index` says about the message
  /// files beside it (``MailboxContentCheck``).
  public var notes: [MailboxNote] = []
  /// On a mailbox's `cyrus.index`: what it says, reduced to what copies must agree on.
  public var indexSummary: IndexSummary?
  /// On a seen database or subscription list: what it means, for comparison by content.
  public var stateSummary: StateSummary?
  /// On a mailbox directory's `cyrus.header`: the uniqueid the header records, when it reads
  /// (compared with mailboxes.db, and used to name mailboxes in seen findings).
  public var headerUniqueID: String?

  /// Makes an entry.
  public init(
    area: String, path: EntryPath, kind: EntryKind, size: UInt64 = 0, mode: UInt32 = 0,
    uid: UInt32 = 0, gid: UInt32 = 0, owner: String? = nil, group: String? = nil,
    mtime: Timestamp = Timestamp(seconds: 0), linkTarget: [UInt8]? = nil, digest: [UInt8]? = nil,
    hardLinkLeader: String? = nil, mailbox: String? = nil, problem: EntryProblem? = nil
  ) {
    self.area = area
    self.path = path
    self.kind = kind
    self.size = size
    self.mode = mode
    self.uid = uid
    self.gid = gid
    self.owner = owner
    self.group = group
    self.mtime = mtime
    self.linkTarget = linkTarget
    self.digest = digest
    self.hardLinkLeader = hardLinkLeader
    self.mailbox = mailbox
    self.problem = problem
  }

  /// Canonical order across areas: area name, then path.
  public static func canonicalCompare(_ lhs: ManifestEntry, _ rhs: ManifestEntry) -> Int {
    if lhs.area != rhs.area {
      return lhs.area.utf8.lexicographicallyPrecedes(rhs.area.utf8) ? -1 : 1
    }
    return EntryPath.compare(lhs.path.bytes, rhs.path.bytes)
  }

  /// `area:path` for messages.
  public var location: String { path.bytes.isEmpty ? "\(area):." : "\(area):\(path)" }
}

/// A stream of manifest entries in canonical order: the local walker, and later a remote agent
/// or a saved manifest. Errors thrown are fatal (the side cannot be read at all); per-entry
/// trouble is carried in ``ManifestEntry/problem``.
public protocol ManifestSource {
  /// The next entry, or `nil` at the end.
  mutating func next() throws -> ManifestEntry?
}
