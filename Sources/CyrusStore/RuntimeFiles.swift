/// Files Cyrus creates and removes while it runs, which a failover copy need not (and usually
/// cannot) match: left out of the walk unless `--include-runtime` is given.
///
/// Source: `cyrus-formats.md` §10.3 (configdirectory inventory) and §5.3 (`stage./`). The
/// directories themselves are still compared — a missing `socket/` makes Cyrus 3.6 lose its
/// umask (`cyrus-3.6-observed.md`) — only what is inside them is left out.
public enum RuntimeFiles {
  /// Config-directory subdirectories whose content is runtime only.
  public static let configDirectories: Set<String> = [
    "socket", "proc", "lock", "log", "sync", "ptclient",
  ]
  /// Config-directory top-level files that are caches or sessions.
  public static let configFiles: Set<String> = [
    "tls_sessions.db", "statuscache.db", "cyrus-master.pid",
  ]
  /// Name prefixes inside `db/` (the Berkeley DB environment and the skiplist recovery stamp).
  /// The `log.*` files hold committed transactions until a checkpoint: see docs/findings.md.
  public static let databaseEnvironmentPrefixes = ["__db.", "log.", "skipstamp"]
  /// Partition subdirectories whose content is runtime only (the delivery staging area).
  public static let partitionDirectories: Set<String> = ["stage.", "sync."]

  /// Whether `path` in an area of `role` is runtime-only.
  public static func isRuntime(_ path: EntryPath, role: StoreArea.Role) -> Bool {
    let components = path.components
    guard let first = components.first.map({ String(decoding: $0, as: UTF8.self) }) else {
      return false
    }
    switch role {
    case .config:
      if components.count == 1 { return configFiles.contains(first) }
      if configDirectories.contains(first) { return true }
      if first == "db", components.count == 2 {
        let name = String(decoding: components[1], as: UTF8.self)
        return databaseEnvironmentPrefixes.contains(where: { name.hasPrefix($0) })
      }
      return false
    case .partition, .metapartition, .archivePartition:
      return components.count > 1 && partitionDirectories.contains(first)
    case .sieve:
      return false
    }
  }
}
