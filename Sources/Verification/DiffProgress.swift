import CyrusStore

/// How far a comparison has come: per side, the entries the diff has taken so far, and of
/// them the files and their bytes (a file's entry reaches the diff once its content is read,
/// so at `full` the bytes are the bytes hashed).
public struct DiffProgress: Sendable, Equatable {
  /// One side's counts.
  public struct Side: Sendable, Equatable {
    /// Entries of every kind.
    public var entries = 0
    /// Regular files.
    public var files = 0
    /// Their sizes added up (saturating: sizes may come from a peer or a saved manifest).
    public var bytes: UInt64 = 0

    /// Makes counts.
    public init(entries: Int = 0, files: Int = 0, bytes: UInt64 = 0) {
      self.entries = entries
      self.files = files
      self.bytes = bytes
    }

    /// Counts one more entry.
    mutating func add(_ entry: ManifestEntry) {
      entries += 1
      if entry.kind == .file {
        files += 1
        bytes = bytes.addingSaturated(entry.size)
      }
    }
  }

  /// The primary's counts.
  public var primary = Side()
  /// The failover's counts.
  public var failover = Side()

  /// Makes counts.
  public init(primary: Side = Side(), failover: Side = Side()) {
    self.primary = primary
    self.failover = failover
  }
}
