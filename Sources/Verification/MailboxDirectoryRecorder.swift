import CyrusStore

/// Passes a manifest stream through unchanged and notes every mailbox directory in it: the
/// parent of each `cyrus.header` in a partition area. Works the same on a local walk, a remote
/// agent's stream and a saved manifest, so the mailbox-list stage sees the same directories
/// wherever a side is.
public struct MailboxDirectoryRecorder<Base: ManifestSource>: ManifestSource {
  private var base: Base
  /// The directories seen so far (all of them once the stream has ended).
  public private(set) var directories: [MailboxDirectory] = []

  /// Wraps `base`.
  public init(_ base: Base) { self.base = base }

  public mutating func next() throws -> ManifestEntry? {
    guard let entry = try base.next() else { return nil }
    if entry.kind == .file, entry.path.lastComponentIs(mailboxHeaderName),
      Self.isPartition(entry.area)
    {
      let directory = entry.path.parent
      // The uniqueid the header records; the 3.6 directory name only when the header is
      // unreadable.
      directories.append(
        MailboxDirectory(
          area: entry.area, path: directory, headerName: entry.mailbox,
          headerUniqueID: entry.headerUniqueID
            ?? SpoolNaming(hashed: false).uniqueID(of: directory)))
    }
    return entry
  }

  static func isPartition(_ area: String) -> Bool {
    area.hasPrefix("partition-") || area.hasPrefix("metapartition-")
      || area.hasPrefix("archivepartition-")
  }
}

/// `cyrus.header` as bytes, made once (a generic type cannot hold a static stored property).
private let mailboxHeaderName: [UInt8] = Array("cyrus.header".utf8)
