import CyrusFormats
import CyrusStore

/// What the mailbox lists, read before the walk, say about the bytes of mailboxes.db and
/// mailboxlist.txt, so that one difference is one finding: when the lists differ in meaning the
/// `mailbox.*` findings say how, and the files' size or content findings would only repeat it;
/// when every entry is the same, different bytes are a rewrite (another backend, a repack).
public struct MailboxFileMeaning: Sendable {
  /// Where mailboxes.db is in the walk (its area and path), when it is inside one.
  public var database: (area: String, path: EntryPath)?
  /// Where mailboxlist.txt is in the walk.
  public var dump: (area: String, path: EntryPath)?
  /// The two lists differ in an entry: the mailbox-list stage reports how.
  public var databaseDiffers = false
  /// Both lists were read and every entry is the same in every field.
  public var databaseIdentical = false
  /// Some side's dump is stale or unreadable, or the lists differ: the dumps' bytes are
  /// explained.
  public var dumpExplained = false

  /// Nothing known: every byte difference is reported as such.
  public init() {}

  /// Judges two sides' lists; `database` and `dump` are where the files lie in the walk.
  public init(
    primary: MailboxSide, failover: MailboxSide, database: (area: String, path: EntryPath)?,
    dump: (area: String, path: EntryPath)?, rules: ComparisonRules = .sameVersion
  ) {
    self.database = database
    self.dump = dump
    guard case .success(let left) = primary.list, case .success(let right) = failover.list else {
      return
    }
    databaseDiffers = !MailboxListCheck.compare(left.entries, right.entries, rules: rules).isEmpty
    // Across versions an imported list cannot be byte-for-byte the older one's: the same
    // entries by the rules are the same list.
    databaseIdentical =
      (rules.acrossVersions
        ? !databaseDiffers
        : left.entries == right.entries && left.uniqueIDRecords == right.uniqueIDRecords)
      && left.problems.isEmpty && right.problems.isEmpty
    let staleOrBroken = [(primary, left), (failover, right)].contains { side, list in
      switch side.dump {
      case .none: return false
      case .failure: return true
      case .success(let parsed):
        return !MailboxListCheck.staleDifferences(side: side, list: list, dump: parsed).isEmpty
      }
    }
    dumpExplained = databaseDiffers || staleOrBroken
  }

  /// The path of `file` inside the area (`name`, `path` on its host) that holds it, if any.
  public static func place(of file: String, in areas: [(name: String, path: String)])
    -> (area: String, path: EntryPath)?
  {
    for area in areas where AreaName(area.name).role == .config {
      let root = area.path.hasSuffix("/") ? area.path : area.path + "/"
      if file.hasPrefix(root), file.count > root.count {
        return (area.name, EntryPath(String(file.dropFirst(root.count))))
      }
    }
    return nil
  }

  /// Takes the byte-level findings of one entry present on both sides that the lists explain.
  func adjust(_ findings: inout [Finding], _ primary: ManifestEntry, _ failover: ManifestEntry) {
    let bytes: (Finding) -> Bool = { $0.code == .sizeMismatch || $0.code == .contentMismatch }
    guard findings.contains(where: bytes) else { return }
    if let database, database.area == primary.area, database.path == primary.path {
      if databaseDiffers {
        findings.removeAll(where: bytes)
      } else if databaseIdentical {
        findings.removeAll(where: bytes)
        findings.append(
          Finding(
            .mailboxesDBRewritten, side: .both, area: AreaName(primary.area), path: primary.path,
            primary: "\(primary.size) bytes", failover: "\(failover.size) bytes"))
      }
    } else if let dump, dump.area == primary.area, dump.path == primary.path, dumpExplained {
      findings.removeAll(where: bytes)
    }
  }
}
