import CyrusStore

/// Manifest entries from an array, for feeding the merge-join exactly what a test needs.
public struct ArrayManifestSource: ManifestSource {
  private var entries: [ManifestEntry]
  private var index = 0

  /// Yields `entries` in the order given (the diff checks the order).
  public init(_ entries: [ManifestEntry]) { self.entries = entries }

  public mutating func next() throws -> ManifestEntry? {
    guard index < entries.count else { return nil }
    defer { index += 1 }
    return entries[index]
  }
}
