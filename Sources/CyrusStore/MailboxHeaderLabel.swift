import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the mailbox name and uniqueid recorded in a directory's `cyrus.header`, to label
/// by-uniqueid spool directories (whose path carries no name).
enum MailboxHeaderLabel {
  /// The name (3.6 dlist headers only) and uniqueid in `cyrus.header` of the directory open at
  /// `directoryFD`, as far as the file is readable and well formed; a damaged header only costs
  /// the label here.
  static func read(directoryFD: Int32) -> (name: String?, uniqueID: String?) {
    let fd = openat(directoryFD, "cyrus.header", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return (nil, nil) }
    defer { close(fd) }
    guard
      let bytes = try? SystemFiles.readAll(
        fd: fd, path: "cyrus.header", limit: MailboxHeader.maxFileSize),
      let header = try? MailboxHeader.parse(bytes)
    else { return (nil, nil) }
    return (header.name, header.uniqueID)
  }
}
