import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `ctl_mboxlist -d` dump on disk (`mailboxlist.txt`) or on standard input, parsed in 64 KiB
/// reads, so memory holds the entries and one line, never the whole text twice.
public enum MailboxListDumpFile {
  /// Bytes per `read(2)`.
  public static let readSize = 1 << 16

  /// Reads and parses the dump at `path` (`-` is standard input), detecting the format unless
  /// `format` is given.
  /// - Throws: ``MailboxListDumpFileError`` naming the file, line and column for a malformed
  ///   line; ``CyrusStoreError`` when the file cannot be read.
  public static func read(path: String, format: MailboxListDump.Format? = nil) throws
    -> (format: MailboxListDump.Format?, entries: [MailboxEntry])
  {
    let fd = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SystemFiles.error(for: errno, path: path, doing: "cannot open") }
    defer { if fd != 0 { close(fd) } }
    var info = stat()
    if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
      throw CyrusStoreError(.wrongType, path: path, detail: "is a directory, not a dump")
    }
    var parser = MailboxListDumpParser(format: format)
    var entries: [MailboxEntry] = []
    var buffer = [UInt8](repeating: 0, count: readSize)
    do {
      while true {
        let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
          if errno == EINTR { continue }
          throw SystemFiles.error(for: errno, path: path, doing: "cannot read")
        }
        if count == 0 { break }
        try parser.feed(buffer[0..<count]) { entries.append($0) }
      }
      try parser.finish()
    } catch let error as MailboxListDumpError {
      throw MailboxListDumpFileError(path: path, error: error)
    }
    return (parser.format, entries)
  }
}

/// A dump line that does not parse, with the file it is in.
public struct MailboxListDumpFileError: Error, Sendable, CustomStringConvertible {
  /// The dump file (`-` for standard input).
  public var path: String
  /// Line, column and reason.
  public var error: MailboxListDumpError

  public var description: String { "\(path): \(error)" }
}
