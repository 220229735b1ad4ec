#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes in a temporary file that has no name: made with `O_TMPFILE` (or `mkstemp` and
/// unlinked at once where the file system lacks it), reached through `/proc/PID/fd/N` by
/// whoever needs a path (libdb), and gone with its descriptor. A crash or a kill while it is
/// read leaves nothing behind in the temporary directory.
final class TemporaryCopy {
  /// The file's descriptor, closed by this object.
  let fd: Int32
  /// The file's size. Unit: bytes.
  let count: Int

  /// `O_TMPFILE` (Linux: `__O_TMPFILE | O_DIRECTORY`).
  static let temporaryFileFlag: Int32 = 0o20_000_000 | O_DIRECTORY
  /// Where the file is made.
  static let directory = "/tmp"

  /// Writes `bytes` to a new unnamed file.
  init(_ bytes: [UInt8]) throws(CyrusStoreError) {
    var fd = open(Self.directory, Self.temporaryFileFlag | O_RDWR | O_CLOEXEC, 0o600)
    if fd < 0 {
      var template = Array("\(Self.directory)/cyrus-failover-mailboxes-XXXXXX".utf8CString)
      fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
        guard let base = buffer.baseAddress else { return -1 }
        let made = mkstemp(base)
        if made >= 0 {
          unlink(base)
          _ = fcntl(made, F_SETFD, FD_CLOEXEC)
        }
        return made
      }
    }
    guard fd >= 0 else {
      throw CyrusStoreError(
        .system, path: Self.directory,
        detail: "cannot make a temporary file: \(SystemFiles.errorText())")
    }
    self.fd = fd
    self.count = bytes.count
    var written = 0
    while written < bytes.count {
      let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        throw CyrusStoreError(
          .system, path: Self.directory,
          detail: "cannot write a temporary file: \(SystemFiles.errorText())")
      }
      written += count
    }
  }

  deinit { close(fd) }

  /// A path that opens this file, for this process and its children.
  var procPath: String { "/proc/\(getpid())/fd/\(fd)" }

  /// The file for the cyrusdb readers (a descriptor of its own); `path` names it in errors.
  func fileBytes(path: String) throws(CyrusStoreError) -> FileBytes {
    let copy = dup(fd)
    guard copy >= 0 else {
      throw CyrusStoreError(.system, path: path, detail: "dup: \(SystemFiles.errorText())")
    }
    return FileBytes(ownedDescriptor: copy, count: count, path: path)
  }
}
