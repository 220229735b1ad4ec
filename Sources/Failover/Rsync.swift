import CyrusStore
import Remote

/// rsync as the procedure runs it: the argv of one area's pass, and what `--stats` says.
public enum Rsync {
  /// rsync's exit status when source files vanished during the transfer: normal while Cyrus
  /// serves (pass 1), an error once it is stopped.
  public static let vanishedFiles: Int32 = 24

  /// The argv copying one area: `-aH` (hard links kept: the seed's `-a` breaks the
  /// single-instance store), `--delete --delete-after` as the seed, `-s` (paths with spaces
  /// reach the remote side as they are), `--stats`, owners by name (the `cyrus` user's uid
  /// differs between hosts; verify compares owners by name too), the runtime files verify
  /// leaves out and the areas nested inside this one excluded, and `-e` with the same ssh
  /// options as verify for a remote destination. `--modify-window=-1` makes rsync's quick check
  /// compare modification times to the nanosecond: by default it compares whole seconds, so a
  /// `cyrus.index` rewritten in place (same size) in the second pass 1 copied it would be
  /// skipped by pass 2.
  public static func areaArguments(
    role: StoreArea.Role, source: String, destination: String, remote: String?,
    ssh: SSHSettings?, excluded: [String]
  ) -> [String] {
    var argv = [
      "rsync", "-aH", "-s", "--modify-window=-1", "--delete", "--delete-after", "--stats",
    ]
    for pattern in runtimeExcludes(role) + excluded.map({ "/" + $0 + "/" }) {
      argv.append("--exclude=" + pattern)
    }
    if remote != nil, let ssh { argv += ["-e", ssh.rsyncShell] }
    let target = remote.map { "\($0):\(slash(destination))" } ?? slash(destination)
    return argv + [slash(source), target]
  }

  /// `path/`: rsync copies the directory's content, not the directory into itself.
  static func slash(_ path: String) -> String { path.hasSuffix("/") ? path : path + "/" }

  /// Filter rules (rooted at the area) for what ``RuntimeFiles`` calls runtime-only: the
  /// content of the runtime directories (the directories themselves are copied, Cyrus 3.6
  /// needs `socket/`), the cache and session files, the Berkeley DB environment.
  public static func runtimeExcludes(_ role: StoreArea.Role) -> [String] {
    switch role {
    case .config:
      RuntimeFiles.configDirectories.sorted().map { "/\($0)/*" }
        + RuntimeFiles.configFiles.sorted().map { "/\($0)" }
        + RuntimeFiles.databaseEnvironmentPrefixes.map { "/db/\($0)*" }
    case .partition, .metapartition, .archivePartition:
      RuntimeFiles.partitionDirectories.sorted().map { "/\($0)/*" }
    case .sieve:
      []
    }
  }

  /// What `rsync --stats` reported.
  public struct Statistics: Sendable, Codable, Equatable {
    /// Files in the source.
    public var files: UInt64 = 0
    /// Regular files transferred.
    public var transferredFiles: UInt64 = 0
    /// Bytes of the transferred files.
    public var transferredBytes: UInt64 = 0
    /// Bytes sent and received on the wire.
    public var bytesSent: UInt64 = 0
    public var bytesReceived: UInt64 = 0
    /// Files deleted on the destination.
    public var deletedFiles: UInt64 = 0

    /// Adds another pass's figures.
    public mutating func add(_ other: Statistics) {
      files &+= other.files
      transferredFiles &+= other.transferredFiles
      transferredBytes &+= other.transferredBytes
      bytesSent &+= other.bytesSent
      bytesReceived &+= other.bytesReceived
      deletedFiles &+= other.deletedFiles
    }
  }

  /// The paths rsync says it transferred, from its `--itemize-changes` lines (`>f+++++++++
  /// user/x/1.`: received files and made directories; deletions and unchanged entries not),
  /// at most `limit`.
  public static func transferredPaths(_ output: String, limit: Int = 10_000) -> [String] {
    var paths: [String] = []
    for line in output.split(separator: "\n") where paths.count < limit {
      guard line.count > 12, let first = line.first, first == ">" || first == "<" || first == "c",
        line[line.index(line.startIndex, offsetBy: 11)] == " "
      else { continue }
      let flags = line.prefix(11)
      // A directory whose attributes only were set is not a transfer.
      if flags.hasPrefix("cd") && !flags.contains("+") { continue }
      paths.append(String(line.dropFirst(12)))
    }
    return paths
  }

  /// Reads the `--stats` lines of rsync's output (numbers with or without thousands
  /// separators); lines it does not know are ignored.
  public static func statistics(_ output: String) -> Statistics {
    var stats = Statistics()
    for line in output.split(separator: "\n") {
      guard let colon = line.firstIndex(of: ":") else { continue }
      let label = line[..<colon].trimmingCharacters(in: .whitespaces)
      let digits = line[line.index(after: colon)...].drop { $0 == " " }
        .prefix { $0.isNumber || $0 == "," || $0 == "." }.filter { $0.isNumber }
      guard let value = UInt64(digits) else { continue }
      switch label {
      case "Number of files": stats.files = value
      case "Number of regular files transferred": stats.transferredFiles = value
      case "Total transferred file size": stats.transferredBytes = value
      case "Total bytes sent": stats.bytesSent = value
      case "Total bytes received": stats.bytesReceived = value
      case "Number of deleted files": stats.deletedFiles = value
      default: break
      }
    }
    return stats
  }
}
