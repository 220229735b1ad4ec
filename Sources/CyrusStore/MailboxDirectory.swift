/// A spool directory that holds a `cyrus.header`, as the walk found it: what the mailbox list is
/// cross-checked against.
public struct MailboxDirectory: Sendable, Equatable {
  /// The partition area (`partition-default`, …).
  public var area: String
  /// Path relative to the area root.
  public var path: EntryPath
  /// The name in the header (3.6 dlist headers only).
  public var headerName: String?
  /// The uniqueid in the header.
  public var headerUniqueID: String?

  /// Makes a record.
  public init(area: String, path: EntryPath, headerName: String?, headerUniqueID: String?) {
    self.area = area
    self.path = path
    self.headerName = headerName
    self.headerUniqueID = headerUniqueID
  }
}
