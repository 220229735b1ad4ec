import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A file read with `pread` into bounded buffers, for the cyrusdb parsers. Never `mmap`: a
/// database truncated by a live Cyrus while mapped would raise SIGBUS.
///
/// The size is fixed when the file is opened; a read past it, or a short read because the file
/// shrank meanwhile, throws ``CyrusDBError`` (`truncated`) with the offset.
public final class FileBytes: RandomAccessBytes {
  /// The path, for messages.
  public let path: String
  /// Size at open time.
  public let count: Int
  private let fd: Int32

  /// Opens `path` read-only without following a final symlink.
  public init(path: String) throws(CyrusStoreError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
    guard fd >= 0 else { throw SystemFiles.error(for: errno, path: path, doing: "cannot open") }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw SystemFiles.error(for: code, path: path, doing: "cannot examine")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw CyrusStoreError(.wrongType, path: path, detail: "not a regular file")
    }
    self.path = path
    self.fd = fd
    self.count = Int(info.st_size)
  }

  deinit { close(fd) }

  public func bytes(at offset: Int, count wanted: Int) throws -> [UInt8] {
    guard offset >= 0, wanted >= 0, offset <= count, wanted <= count - offset else {
      throw CyrusDBError(
        .truncated, offset: offset, detail: "read of \(wanted) bytes past the end (size \(count))")
    }
    var buffer = [UInt8](repeating: 0, count: wanted)
    var done = 0
    while done < wanted {
      let got = buffer.withUnsafeMutableBytes { raw in
        pread(fd, raw.baseAddress.map { $0 + done }, wanted - done, off_t(offset + done))
      }
      if got < 0 {
        if errno == EINTR { continue }
        throw CyrusDBError(
          .truncated, offset: offset + done, detail: "read error: \(SystemFiles.errorText())")
      }
      if got == 0 {
        throw CyrusDBError(
          .truncated, offset: offset + done, detail: "file shrank while being read")
      }
      done += got
    }
    return buffer
  }
}
