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
public final class FileBytes: RandomAccessBytes, Sendable {
  /// The path, for messages.
  public let path: String
  /// Size at open time.
  public let count: Int
  private let fd: Int32

  /// Opens `path` read-only without following a final symlink; refuses a FIFO, a device or
  /// anything else that is not a regular file without blocking on it (``FileOpening``).
  public init(path: String) throws(CyrusStoreError) {
    let opened = try FileOpening.regularFile(Array(path.utf8), path: path)
    self.path = path
    self.fd = opened.fd
    self.count = Int(opened.info.st_size)
  }

  /// Opens `name` in the directory open at `directory` the same way; `path` names it.
  init(name: [UInt8], in directory: Int32, path: String) throws(CyrusStoreError) {
    let opened = try FileOpening.regularFile(name, in: directory, path: path)
    self.path = path
    self.fd = opened.fd
    self.count = Int(opened.info.st_size)
  }

  /// Takes ownership of `fd`, an open regular file of `count` bytes.
  init(ownedDescriptor fd: Int32, count: Int, path: String) {
    self.path = path
    self.fd = fd
    self.count = count
  }

  deinit { close(fd) }

  /// The open descriptor, for a reader that reads the same file (libdb); this object closes it.
  var descriptor: Int32 { fd }

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

  /// `lseek(SEEK_DATA)`: past a hole of a sparse file; ``count`` when only holes follow;
  /// `offset` itself where the file system cannot tell.
  public func dataOffset(atOrAfter offset: Int) -> Int {
    guard offset >= 0, offset < count else { return offset }
    let found = lseek(fd, off_t(offset), SparseFiles.seekData)
    if found < 0 { return errno == ENXIO ? count : offset }
    return max(offset, min(Int(found), count))
  }
}
