#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Bytes in a temporary file that has no name: made with `O_TMPFILE` (or `mkstemp` and
/// unlinked at once where the file system lacks it), handed to its readers (libdb too, or its
/// child process) as a descriptor, and gone with its last descriptor. A crash or a kill while
/// it is read leaves nothing behind in the temporary directory.
///
/// Written once (``TemporaryCopyWriter``), then only read with `pread`, so one value can be
/// shared between threads. What a mailboxes.db or mailboxlist.txt of up to 1 GiB is kept in,
/// whether it was read from disk, from an agent or from a saved manifest: memory holds one
/// chunk of it at a time, never the whole file.
public final class TemporaryCopy: Sendable {
  /// The file's descriptor, closed by this object.
  let fd: Int32
  /// The file's size. Unit: bytes.
  public let count: Int

  /// `O_TMPFILE` (Linux: `__O_TMPFILE | O_DIRECTORY`).
  static let temporaryFileFlag: Int32 = 0o20_000_000 | O_DIRECTORY
  /// Where the file is made.
  static let directory = "/tmp"
  /// Bytes per `read`/`pread` when a copy is made or read back.
  public static let chunkBytes = 1 << 20

  /// Takes over a descriptor a ``TemporaryCopyWriter`` filled with `count` bytes.
  init(descriptor: Int32, count: Int) {
    self.fd = descriptor
    self.count = count
  }

  /// Writes `bytes` to a new unnamed file.
  public convenience init(_ bytes: [UInt8]) throws(CyrusStoreError) {
    let writer = try TemporaryCopyWriter()
    try writer.write(bytes[...])
    let made = writer.take()
    self.init(descriptor: made.descriptor, count: made.count)
  }

  deinit { close(fd) }

  /// A path that opens this file again, for this process (tests look at the file through it).
  var procPath: String { "/proc/\(getpid())/fd/\(fd)" }

  /// The file for the cyrusdb readers (a descriptor of its own); `path` names it in errors.
  func fileBytes(path: String) throws(CyrusStoreError) -> FileBytes {
    let copy = dup(fd)
    guard copy >= 0 else {
      throw CyrusStoreError(.system, path: path, detail: "dup: \(SystemFiles.errorText())")
    }
    return FileBytes(ownedDescriptor: copy, count: count, path: path)
  }

  /// `count` bytes from `offset` (fewer at the end of the file).
  public func bytes(at offset: Int, count wanted: Int) throws(CyrusStoreError) -> [UInt8] {
    precondition(offset >= 0 && wanted >= 0, "a read has a place and a length")
    let length = max(0, min(wanted, count - offset))
    var buffer = [UInt8](repeating: 0, count: length)
    var done = 0
    while done < length {
      let got = buffer.withUnsafeMutableBytes { raw in
        pread(fd, raw.baseAddress.map { $0 + done }, length - done, off_t(offset + done))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else {
        throw CyrusStoreError(
          .system, path: Self.directory,
          detail: "cannot read back a temporary file: \(SystemFiles.errorText())")
      }
      done += got
    }
    return buffer
  }

  /// Calls `body` with the file's bytes in order, `size` bytes at a time (the last chunk may be
  /// shorter).
  public func forEachChunk(size: Int = chunkBytes, _ body: ([UInt8]) throws -> Void) throws {
    precondition(size > 0, "chunks have bytes")
    var offset = 0
    while offset < count {
      let chunk = try bytes(at: offset, count: size)
      try body(chunk)
      offset += chunk.count
    }
  }

  /// Whether the file holds exactly `other` (read a chunk at a time).
  public func holds(_ other: [UInt8]) -> Bool {
    guard other.count == count else { return false }
    var offset = 0
    do {
      try forEachChunk { chunk in
        guard other[offset..<(offset + chunk.count)].elementsEqual(chunk) else {
          throw Mismatch()
        }
        offset += chunk.count
      }
    } catch {
      return false
    }
    return true
  }

  /// Whether two files hold the same bytes.
  public func holdsSameBytes(as other: TemporaryCopy) -> Bool {
    guard other !== self else { return true }
    guard other.count == count else { return false }
    var offset = 0
    do {
      try forEachChunk { chunk in
        guard try other.bytes(at: offset, count: chunk.count) == chunk else { throw Mismatch() }
        offset += chunk.count
      }
    } catch {
      return false
    }
    return true
  }

  private struct Mismatch: Error {}

  /// Copies the rest of the open file `source` (a regular file `path` names) into a new
  /// unnamed file, refusing more than `limit` bytes.
  static func copying(_ source: Int32, path: String, limit: Int) throws(CyrusStoreError)
    -> TemporaryCopy
  {
    let writer = try TemporaryCopyWriter()
    var buffer = [UInt8](repeating: 0, count: chunkBytes)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(source, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw SystemFiles.error(for: errno, path: path, doing: "cannot read")
      }
      if count == 0 { break }
      guard count <= limit - writer.count else {
        throw CyrusStoreError(.tooLarge, path: path, detail: "larger than \(limit) bytes")
      }
      try writer.write(buffer[0..<count])
    }
    return writer.finish()
  }
}

/// Fills a new unnamed temporary file, then hands it over as a ``TemporaryCopy``; a writer
/// dropped before ``finish()`` closes (and so removes) its file.
public final class TemporaryCopyWriter {
  private var fd: Int32
  /// Bytes written so far.
  public private(set) var count = 0

  /// Makes the file.
  public init() throws(CyrusStoreError) {
    var fd = open(
      TemporaryCopy.directory, TemporaryCopy.temporaryFileFlag | O_RDWR | O_CLOEXEC, 0o600)
    if fd < 0 {
      var template = Array("\(TemporaryCopy.directory)/cyrus-failover-tmp-XXXXXX".utf8CString)
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
        .system, path: TemporaryCopy.directory,
        detail: "cannot make a temporary file: \(SystemFiles.errorText())")
    }
    self.fd = fd
  }

  deinit { if fd >= 0 { close(fd) } }

  /// Appends `bytes`.
  public func write(_ bytes: ArraySlice<UInt8>) throws(CyrusStoreError) {
    precondition(fd >= 0, "a finished writer is not written to")
    var written = 0
    while written < bytes.count {
      let start = bytes.startIndex + written
      let count = bytes[start...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      guard count > 0 else {
        throw CyrusStoreError(
          .system, path: TemporaryCopy.directory,
          detail: "cannot write a temporary file: \(SystemFiles.errorText())")
      }
      written += count
    }
    count += written
  }

  /// The file, with everything written; the writer is done.
  public func finish() -> TemporaryCopy {
    let made = take()
    return TemporaryCopy(descriptor: made.descriptor, count: made.count)
  }

  /// Hands the descriptor over; the writer is done.
  func take() -> (descriptor: Int32, count: Int) {
    precondition(fd >= 0, "a writer is finished once")
    defer { fd = -1 }
    return (fd, count)
  }
}
