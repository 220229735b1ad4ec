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
  /// ``partitionDirectories`` as bytes.
  private static let partitionDirectoryNames = partitionDirectories.map { Array($0.utf8) }

  /// Whether `path` in an area of `role` is runtime-only. Asked for every entry of the walk,
  /// so the path is not split into components.
  public static func isRuntime(_ path: EntryPath, role: StoreArea.Role) -> Bool {
    let bytes = path.bytes
    let slash = bytes.firstIndex(of: 0x2F)
    switch role {
    case .config:
      guard !bytes.isEmpty else { return false }
      let first = String(decoding: bytes[..<(slash ?? bytes.endIndex)], as: UTF8.self)
      guard let slash else { return configFiles.contains(first) }
      if configDirectories.contains(first) { return true }
      let rest = bytes[(slash + 1)...]
      if first == "db", !rest.contains(0x2F) {
        let name = String(decoding: rest, as: UTF8.self)
        return databaseEnvironmentPrefixes.contains(where: { name.hasPrefix($0) })
      }
      return false
    case .partition, .metapartition, .archivePartition:
      guard let slash else { return false }
      // Bytes, not a String per entry: the walk asks this of every message file.
      let first = bytes[..<slash]
      return partitionDirectoryNames.contains { first.elementsEqual($0) }
    case .sieve:
      return false
    }
  }
}
