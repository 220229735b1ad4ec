import Foundation

/// The system's own Cyrus as a test found it: size, mtime and inode of everything under its
/// trees (/var/lib/cyrus, /var/spool/cyrus, /var/spool/sieve, /run/cyrus) and the contents of
/// /etc/imapd.conf and /etc/cyrus.conf. make-corpus.sh checks the same trees at its end.
///
/// Other work on this machine may touch the system trees while a test runs, so a change there
/// is blamed on the test only when the changed file holds the test's own token (a user or
/// mailbox name no one else uses); the two configuration files must not change at all.
struct SystemCyrusSnapshot {
  static let trees = ["/var/lib/cyrus", "/var/spool/cyrus", "/var/spool/sieve", "/run/cyrus"]
  static let configurations = ["/etc/imapd.conf", "/etc/cyrus.conf", "/run/cyrus-master.pid"]

  /// path → "size mtime inode" (directories included).
  var entries: [String: String] = [:]
  /// Contents of each configuration file (nil when absent).
  var configurations: [String: Data?] = [:]

  /// The system's trees and configuration files, or only `trees` (then no configuration).
  static func take(trees: [String]? = nil) -> SystemCyrusSnapshot {
    var snapshot = SystemCyrusSnapshot()
    for tree in trees ?? Self.trees {
      snapshot.entries[tree] = fingerprint(tree)
      let walker = FileManager.default.enumerator(atPath: tree)
      while let relative = walker?.nextObject() as? String {
        let path = tree + "/" + relative
        snapshot.entries[path] = fingerprint(path)
      }
    }
    for path in configurations where trees == nil {
      snapshot.configurations[path] = FileManager.default.contents(atPath: path)
    }
    return snapshot
  }

  static func fingerprint(_ path: String) -> String? {
    var info = stat()
    guard lstat(path, &info) == 0 else { return nil }
    return "\(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec) \(info.st_ino)"
  }

  /// Every path added, removed or changed (size, mtime, inode) since `earlier`.
  func changedPaths(since earlier: SystemCyrusSnapshot) -> [String] {
    Set(entries.keys).union(earlier.entries.keys).filter { entries[$0] != earlier.entries[$0] }
      .sorted()
  }

  /// What changed since `earlier` in a way that is this test's doing: a configuration file
  /// changed (or the system master's pidfile appeared), or a new or changed file under the
  /// trees holding `token`.
  func changes(since earlier: SystemCyrusSnapshot, token: String) -> [String] {
    var blamed: [String] = []
    for path in Self.configurations where configurations[path] != earlier.configurations[path] {
      blamed.append("\(path) changed")
    }
    let needle = Data(token.utf8)
    for (path, now) in entries.sorted(by: { $0.key < $1.key }) where earlier.entries[path] != now {
      if let data = FileManager.default.contents(atPath: path), data.range(of: needle) != nil {
        blamed.append("\(path) holds \(token)")
      } else if path.contains(token) {
        blamed.append("\(path) is named after \(token)")
      }
    }
    return blamed
  }
}
