import CyrusStore
import Verification

/// What a repair moves, worked out from the findings of a verification: the smallest set of
/// paths that makes the failover equal the primary again, sorted by how they can be copied.
///
/// - Message files (`UID.` in a partition; Cyrus never rewrites one) and whole missing
///   directories are copied while the primary serves.
/// - Everything Cyrus rewrites in place — mailboxes.db, mailboxlist.txt, seen and subscription
///   databases, quota files, a mailbox's `cyrus.index`, `cyrus.header`, `cyrus.cache`, Sieve
///   scripts — is copied inside a short stop of the primary.
/// - What is on the failover only is deleted there, each path named.
/// - Lag, information, conditions found on the primary only or on each side alike: nothing to
///   move; they are listed as left.
public struct RepairSet: Sendable, Equatable, Encodable {
  enum CodingKeys: String, CodingKey {
    case liveFiles, liveDirectories, windowFiles, deletions, left, mailboxList
  }

  /// Paths to copy live, per area (files, and directories copied whole).
  public var liveFiles: [String: [EntryPath]] = [:]
  public var liveDirectories: [String: [EntryPath]] = [:]
  /// Paths to copy inside the stopped window, per area.
  public var windowFiles: [String: [EntryPath]] = [:]
  /// Paths to delete on the failover, per area.
  public var deletions: [String: [EntryPath]] = [:]
  /// Findings nothing is moved for, in words.
  public var left: [String] = []
  /// The mailbox list differs: the failover's mailboxes.db is copied in the window (same
  /// version) — across versions it must be imported again (`sync`).
  public var mailboxList = false
  /// The failover's mailboxlist.txt does not match its mailboxes.db: it travels unless the
  /// mailboxes.db copy already mends that (the dumps themselves agree then).
  var staleDump = false

  /// An empty set.
  public init() {}

  /// Whether nothing is to be moved or deleted.
  public var isEmpty: Bool {
    liveFiles.isEmpty && liveDirectories.isEmpty && windowFiles.isEmpty && deletions.isEmpty
  }

  /// Works out the set from `findings`; `mailboxesDB` is where mailboxes.db lies in the config
  /// area (nil: outside it, not copied).
  public static func from(
    _ findings: [Finding], mailboxesDB: EntryPath?
  ) throws(ProcedureError) -> RepairSet {
    var set = RepairSet()
    for finding in findings {
      try set.add(finding, mailboxesDB: mailboxesDB)
    }
    set.normalize()
    return set
  }

  /// A path from a report (which may come from anywhere): relative, no empty, `.` or `..`
  /// component, no NUL.
  static func checked(_ path: EntryPath) throws(ProcedureError) -> EntryPath {
    let bytes = path.bytes
    guard !bytes.isEmpty, bytes.first != 0x2F, !bytes.contains(0),
      path.components.allSatisfy({
        !$0.isEmpty && !$0.elementsEqual([0x2E]) && !$0.elementsEqual([0x2E, 0x2E])
      })
    else {
      throw ProcedureError(
        .refused, "the report names the path \(path), which is not a plain path inside its area")
    }
    return path
  }

  /// Whether a file is copied live: a message file of a partition.
  static func isImmutable(area: AreaName, path: EntryPath) -> Bool {
    guard area.holdsMessages else { return false }
    let name = path.lastComponent
    return name.count > 1 && name.last == 0x2E
      && name.dropLast().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
  }

  mutating func add(_ finding: Finding, mailboxesDB: EntryPath?) throws(ProcedureError) {
    if finding.change == .lag {
      left.append("lag, not repaired: \(FindingText.line(finding))")
      return
    }
    if finding.severity == .info || finding.isSharedCondition {
      return
    }
    if finding.code.scope == .condition, finding.side == .primary {
      left.append("the primary's own condition: \(FindingText.line(finding))")
      return
    }
    switch finding.code {
    case .fileExtra, .directoryExtra:
      guard let area = finding.area, let path = finding.path else { return }
      deletions[area.text, default: []].append(try Self.checked(path))
    case .directoryMissing:
      guard let area = finding.area, let path = finding.path else { return }
      let checked = try Self.checked(path)
      liveDirectories[area.text, default: []].append(checked)
      windowFiles[area.text, default: []].append(checked)
    case .mailboxMissing, .mailboxExtra, .mailboxPartitionMismatch, .mailboxTypeMismatch,
      .mailboxACLMismatch, .mailboxUniqueIDMismatch:
      mailboxList = true
      if let mailboxesDB {
        // mailboxlist.txt travels only when a finding of its own says it differs.
        windowFiles[AreaName.config.text, default: []].append(mailboxesDB)
      } else {
        left.append("mailboxes.db is outside the config directory: \(FindingText.line(finding))")
      }
    case .mailboxListStale, .mailboxListMalformed:
      staleDump = true
    case .mailboxDirectoryMissing, .mailboxDirectoryOrphan, .mailboxHeaderUniqueIDMismatch,
      .mailboxNameUnsafe, .mailboxesDBUnreadable, .mailboxesDBRecordInvalid, .outOfOrder,
      .symlinkOutside, .specialFile, .vanished, .changedWhileReading, .unlistable:
      // Explained by the file findings beside it, or not something a copy mends.
      left.append("not repaired by copying: \(FindingText.line(finding))")
    case .hardLinkMismatch:
      guard let area = finding.area, let path = finding.path else { return }
      add(area: area, path: try Self.checked(path))
      for value in [finding.primary, finding.failover].compactMap({ $0 })
      where value.hasPrefix("linked to ") {
        // `linked to AREA:PATH`: the other name of the inode travels with it.
        let target = value.dropFirst("linked to ".count)
        if let colon = target.firstIndex(of: ":"),
          let other = EntryPath(escaped: String(target[target.index(after: colon)...]))
        {
          add(area: AreaName(String(target[..<colon])), path: try Self.checked(other))
        }
      }
    default:
      guard let area = finding.area, let path = finding.path else {
        left.append("no path to copy: \(FindingText.line(finding))")
        return
      }
      add(area: area, path: try Self.checked(path))
    }
  }

  mutating func add(area: AreaName, path: EntryPath) {
    if Self.isImmutable(area: area, path: path) {
      liveFiles[area.text, default: []].append(path)
    } else {
      windowFiles[area.text, default: []].append(path)
    }
  }

  /// Sorted, without repeats, and nothing copied that is also deleted.
  mutating func normalize() {
    if staleDump, !mailboxList {
      windowFiles[AreaName.config.text, default: []].append(EntryPath("mailboxlist.txt"))
    }
    func clean(_ lists: inout [String: [EntryPath]]) {
      lists = lists.mapValues { Array(Set($0)).sorted() }.filter { !$0.value.isEmpty }
    }
    clean(&liveFiles)
    clean(&liveDirectories)
    clean(&windowFiles)
    clean(&deletions)
  }

  /// Files and directories to move, all told.
  public var count: Int {
    [liveFiles, liveDirectories, windowFiles].reduce(0) {
      $0 + $1.values.reduce(0) { $0 + $1.count }
    }
  }
}
