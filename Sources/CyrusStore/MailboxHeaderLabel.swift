import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a mailbox directory's `cyrus.header` once per directory: the walker labels by-uniqueid
/// directories with the name in it, and the content check names user flags with it.
enum MailboxHeaderLabel {
  /// The `cyrus.header` of the directory open at `directoryFD`, if it is readable and well
  /// formed; a damaged header only costs the label and the flag names here (the file itself is
  /// still compared byte for byte).
  static func read(directoryFD: Int32) -> MailboxHeader? {
    // Not a FIFO or a symlink: a FIFO named cyrus.header would block the walk for good.
    guard
      let bytes = try? SystemFiles.readFile(
        MailboxFileNames.header, in: directoryFD, path: "cyrus.header",
        limit: MailboxHeader.maxFileSize)
    else { return nil }
    return try? MailboxHeader.parse(bytes)
  }
}
