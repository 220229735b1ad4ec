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
///
/// What every entry has is stored inline; what few entries have (a link target, a hard-link
/// leader, a problem, a mailbox's notes and summaries) lies in one shared box that most entries
/// do not have, so an entry is small to copy: the walk and the diff pass each one along several
/// times.
///
/// The optional stored properties are spelled `Optional<T>`, not `T?`: a `var x: T?` starts
/// out `nil` before the initializer runs, so its first store is an assignment over that `nil`,
/// and the optimizer (Swift 6.3) then builds the entry on the stack and copies it out whole
/// (every reference retained, then released), in each initializer and every place one is
/// inlined. Measured with callgrind: two whole copies per walked entry.
public struct ManifestEntry: Sendable, Equatable {
  /// The area name (`config`, `partition-default`, …) the entry belongs to.
  public var area: String
  /// Path relative to the area root.
  public var path: EntryPath
  /// Size in bytes (files and links; 0 for directories, which differ by file system).
  public var size: UInt64
  /// Permission bits with setuid/setgid/sticky (`st_mode & 07777`).
  public var mode: UInt32
  /// Numeric owner.
  public var uid: UInt32
  /// Numeric group.
  public var gid: UInt32
  /// File, directory, link, …
  public var kind: EntryKind
  /// Owner name on its host, when it resolves.
  // swift-format-ignore: UseShorthandTypeNames
  public var owner: Optional<String>
  /// Group name on its host, when it resolves.
  // swift-format-ignore: UseShorthandTypeNames
  public var group: Optional<String>
  /// Modification time.
  public var mtime: Timestamp
  /// SHA-256 of a file's content (`--level full` only).
  // swift-format-ignore: UseShorthandTypeNames
  public var digest: Optional<[UInt8]>
  /// The mailbox this entry belongs to, when the walker can tell.
  // swift-format-ignore: UseShorthandTypeNames
  public var mailbox: Optional<String>
  /// The fields below, when any is set; `nil` when none is (most entries).
  // swift-format-ignore: UseShorthandTypeNames
  private var rare: Optional<RareFields>

  /// A symlink's target, as bytes.
  public var linkTarget: [UInt8]? {
    get { rare?.values.linkTarget }
    set { change { $0.linkTarget = newValue } }
  }
  /// For a file with more than one hard link: the first path (canonical order, this side, any
  /// area) that names the same inode, written `area:path`; the entry's own path when it is first.
  public var hardLinkLeader: String? {
    get { rare?.values.hardLinkLeader }
    set { change { $0.hardLinkLeader = newValue } }
  }
  /// What went wrong examining this entry, if anything.
  public var problem: EntryProblem? {
    get { rare?.values.problem }
    set { change { $0.problem = newValue } }
  }
  /// On a mailbox directory's `cyrus.header`: what its `cyrus.index` says about the message
  /// files beside it (``MailboxContentCheck``).
  public var notes: [MailboxNote] {
    get { rare?.values.notes ?? [] }
    set { change { $0.notes = newValue } }
  }
  /// On a mailbox's `cyrus.index`: what it says, reduced to what copies must agree on.
  public var indexSummary: IndexSummary? {
    get { rare?.values.indexSummary }
    set { change { $0.indexSummary = newValue } }
  }
  /// On a seen database or subscription list: what it means, for comparison by content.
  public var stateSummary: StateSummary? {
    get { rare?.values.stateSummary }
    set { change { $0.stateSummary = newValue } }
  }
  /// On a mailbox directory's `cyrus.header`: the uniqueid the header records, when it reads
  /// (compared with mailboxes.db, and used to name mailboxes in seen findings).
  public var headerUniqueID: String? {
    get { rare?.values.headerUniqueID }
    set { change { $0.headerUniqueID = newValue } }
  }

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
    self.digest = digest
    self.mailbox = mailbox
    if linkTarget != nil || hardLinkLeader != nil || problem != nil {
      rare = RareFields(
        RareFields.Values(linkTarget: linkTarget, hardLinkLeader: hardLinkLeader, problem: problem))
    } else {
      rare = nil
    }
  }

  /// Whether the entry has none of the fields few entries have (link target, hard-link leader,
  /// problem, notes, index or state summary, header uniqueid): what the diff's fast path for
  /// two equal plain entries checks first.
  public var isPlain: Bool { rare == nil }

  /// Sets rare fields: in a new box, as boxes are shared between copies of an entry.
  private mutating func change(_ body: (inout RareFields.Values) -> Void) {
    var values = rare?.values ?? RareFields.Values()
    body(&values)
    rare = values == RareFields.Values() ? nil : RareFields(values)
  }

  /// Canonical order across areas: area name, then path.
  public static func canonicalCompare(_ lhs: ManifestEntry, _ rhs: ManifestEntry) -> Int {
    canonicalCompare(area: lhs.area, path: lhs.path, area: rhs.area, path: rhs.path)
  }

  /// Canonical order of two places given as area and path (-1, 0 or 1).
  public static func canonicalCompare(
    area lhsArea: String, path lhsPath: EntryPath, area rhsArea: String, path rhsPath: EntryPath
  ) -> Int {
    if lhsArea != rhsArea {
      return lhsArea.utf8.lexicographicallyPrecedes(rhsArea.utf8) ? -1 : 1
    }
    return EntryPath.compare(lhsPath.bytes, rhsPath.bytes)
  }

  /// Moves the entry out of `slot`, leaving an empty one there: the entry's references change
  /// hands without being retained and released (reading a stored property out of a struct the
  /// caller is done with still copies it).
  public static func take(_ slot: inout ManifestEntry) -> ManifestEntry {
    var taken = ManifestEntry(area: "", path: .root, kind: .unknown)
    swap(&taken, &slot)
    return taken
  }

  /// Whether two entries' digests are the same (both absent, or the same bytes): compared eight
  /// bytes at a time, where `Array`'s `==` goes byte by byte (this runs for every pair of files).
  public static func sameDigest(_ lhs: [UInt8]?, _ rhs: [UInt8]?) -> Bool {
    guard let lhs, let rhs else { return lhs == nil && rhs == nil }
    guard lhs.count == rhs.count else { return false }
    return lhs.withUnsafeBytes { left in
      rhs.withUnsafeBytes { right in EntryPath.commonPrefix(left, right) == left.count }
    }
  }

  /// `area:path` for messages.
  public var location: String { Self.location(area: area, path: path) }

  /// `area:path` for messages, `area:.` for the area's root.
  public static func location(area: String, path: EntryPath) -> String {
    path.bytes.isEmpty ? "\(area):." : "\(area):\(path)"
  }
}

/// A stream of manifest entries in canonical order: the local walker, and later a remote agent
/// or a saved manifest. Errors thrown are fatal (the side cannot be read at all); per-entry
/// trouble is carried in ``ManifestEntry/problem``.
public protocol ManifestSource {
  /// The next entry, or `nil` at the end.
  mutating func next() throws -> ManifestEntry?
}

/// The fields of a ``ManifestEntry`` that most entries do not have, in a box that copies of the
/// entry share. It never changes: an entry that sets one of them gets a new box.
private final class RareFields: Sendable, Equatable {
  struct Values: Sendable, Equatable {
    var linkTarget: [UInt8]?
    var hardLinkLeader: String?
    var problem: EntryProblem?
    var notes: [MailboxNote] = []
    var indexSummary: IndexSummary?
    var stateSummary: StateSummary?
    var headerUniqueID: String?
  }

  let values: Values

  init(_ values: Values) { self.values = values }

  static func == (lhs: RareFields, rhs: RareFields) -> Bool {
    lhs === rhs || lhs.values == rhs.values
  }
}
