import CyrusStore

/// How two sides are compared beyond their bytes: the same everywhere, except when the
/// failover's Cyrus is of another version than the data it was copied from and the mailbox
/// list was imported into it (a sync across versions). Then the failover's Cyrus has rebuilt
/// what it derives from the rest — caches, annotations, its duplicate-delivery database — and
/// records what the older version did not (uniqueids, the legacy-directories flag, the
/// message count of a quota root): differences there are not differences in what it serves.
public struct ComparisonRules: Sendable, Equatable {
  /// The failover's data was converted for another Cyrus version (docs/findings.md,
  /// `file.rebuilt`).
  public var acrossVersions: Bool

  /// The rules of two copies of the same version.
  public static let sameVersion = ComparisonRules(acrossVersions: false)

  /// Makes rules.
  public init(acrossVersions: Bool) { self.acrossVersions = acrossVersions }

  /// Files Cyrus derives from the rest and rebuilds: a mailbox's `cyrus.cache` and
  /// `cyrus.annotations`, and in the config directory `annotations.db` and the caches
  /// (`deliver.db`, `statuscache.db`, `tls_sessions.db`).
  public static func isDerived(area: String, path: EntryPath) -> Bool {
    let name = String(decoding: path.lastComponent, as: UTF8.self)
    let role = AreaName(area).role
    switch role {
    case .partition, .metapartition, .archivePartition:
      return name == "cyrus.cache" || name == "cyrus.annotations"
    case .config:
      // The caches, and the runtime directories a newer Cyrus needs (`socket/`).
      return path.components.count == 1
        && (["annotations.db", "deliver.db", "statuscache.db", "tls_sessions.db"].contains(name)
          || RuntimeFiles.configDirectories.contains(name))
    default:
      return false
    }
  }

  /// Whether a difference in this file is one the rules let the failover's Cyrus make.
  func rebuilt(area: String, path: EntryPath) -> Bool {
    acrossVersions && Self.isDerived(area: area, path: path)
  }

  /// Quota usage as `RESOURCE value` pairs: across versions only the resources both sides
  /// count are compared (2.2 counts storage only; 3.6 also messages and folders).
  func sameUsage(_ left: String?, _ right: String?) -> Bool {
    guard acrossVersions, let left, let right else { return left == right }
    let mine = Self.usage(left)
    let theirs = Self.usage(right)
    return Set(mine.keys).intersection(theirs.keys).allSatisfy { mine[$0] == theirs[$0] }
  }

  static func usage(_ text: String) -> [Substring: Substring] {
    var values: [Substring: Substring] = [:]
    for pair in text.split(separator: ",") {
      let words = pair.split(separator: " ")
      if words.count == 2 { values[words[0]] = words[1] }
    }
    return values
  }
}
