import Crypto

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// SHA-256 of file contents, read with `read(2)` into one reusable buffer (never `mmap`: a file
/// truncated by a live Cyrus while mapped raises SIGBUS). One per hashing thread.
final class ContentHasher {
  private var buffer: [UInt8]
  /// Test hook: called with a file's name just before it is opened.
  private let beforeOpening: (@Sendable ([UInt8]) -> Void)?

  init(bufferSize: Int, beforeOpening: (@Sendable ([UInt8]) -> Void)? = nil) {
    buffer = [UInt8](repeating: 0, count: max(4096, bufferSize))
    self.beforeOpening = beforeOpening
  }

  /// Reads what `request` names with the function it names.
  func hash(_ request: ContentRead) -> Result<[UInt8], EntryProblem> {
    switch request.function {
    case .sha256:
      digest(name: request.name, in: request.directory.fd, expected: request.expected)
    case .messageGUID:
      messageGUID(name: request.name, in: request.directory.fd, expected: request.expected)
    }
  }

  /// Hashes the file `name` in the directory `fd`, checking that it is still the file that was
  /// examined (`expected`) and that it did not change while it was read.
  func digest(name: [UInt8], in directory: Int32, expected: FileKey) -> Result<
    [UInt8], EntryProblem
  > {
    digest(name: name, in: directory, expected: expected, using: SHA256())
  }

  /// SHA-1 of the file, the function Cyrus 2.4+ records as a message's GUID.
  func messageGUID(name: [UInt8], in directory: Int32, expected: FileKey) -> Result<
    [UInt8], EntryProblem
  > {
    digest(name: name, in: directory, expected: expected, using: Insecure.SHA1())
  }

  private func digest<Hash: HashFunction>(
    name: [UInt8], in directory: Int32, expected: FileKey, using start: Hash
  )
    -> Result<[UInt8], EntryProblem>
  {
    let fd: Int32
    switch openExamined(name: name, in: directory, expected: expected) {
    case .success(let opened): fd = opened
    case .failure(let problem): return .failure(problem)
    }
    defer { close(fd) }
    var hasher = start
    var total: Int64 = 0
    let size = Int64(clamping: expected.size)
    while total < size {
      let want = Int(min(Int64(buffer.count), size - total))
      guard let count = Self.fill(&buffer, want, from: fd, at: total) else {
        return .failure(.unreadable(SystemFiles.errorText()))
      }
      total += Int64(count)
      buffer.withUnsafeBytes {
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count]))
      }
      if count < want { break }
    }
    if let problem = Self.changed(fd, read: total, expected: expected) {
      return .failure(problem)
    }
    return .success(Array(hasher.finalize()))
  }

  /// Opens the file `name` in the directory `fd` to read it, checked to be the regular file
  /// that was examined (`expected`) and to have no holes it does not admit to.
  func openExamined(name: [UInt8], in directory: Int32, expected: FileKey) -> Result<
    Int32, EntryProblem
  > {
    beforeOpening?(name)
    // Opened without blocking and checked before reading: the file examined may have been
    // swapped for a FIFO (whose open would wait for a writer forever) or anything else.
    let opened: FileOpening.Opened
    do {
      opened = try FileOpening.regularFile(
        name, in: directory, path: String(decoding: name, as: UTF8.self),
        extraFlags: FileOpening.noAccessTime, keepNonBlocking: true)
    } catch {
      switch error.kind {
      case .notFound: return .failure(.vanished)
      case .wrongType: return .failure(.changedWhileReading)
      default: return .failure(.unreadable(error.detail))
      }
    }
    let before = opened.info
    guard UInt64(before.st_ino) == expected.inode, UInt64(before.st_dev) == expected.device,
      (before.st_mode & S_IFMT) == S_IFREG
    else {
      close(opened.fd)
      return .failure(.changedWhileReading)
    }
    if let problem = SparseFiles.problem(fd: opened.fd, size: Int(before.st_size)) {
      close(opened.fd)
      return .failure(.unreadable(problem))
    }
    return .success(opened.fd)
  }

  /// Reads `count` bytes at `offset` into the start of `buffer`, fewer only where the file
  /// ends: the bytes read, `nil` on a read error (errno set). With `pread`, so nothing depends
  /// on the descriptor's offset (the hole check's `lseek`s leave it at the end of the file).
  static func fill(_ buffer: inout [UInt8], _ count: Int, from fd: Int32, at offset: Int64) -> Int?
  {
    var filled = 0
    while filled < count {
      let got = buffer.withUnsafeMutableBytes {
        pread(fd, $0.baseAddress.map { $0 + filled }, count - filled, off_t(offset) + off_t(filled))
      }
      if got < 0 {
        if errno == EINTR { continue }
        return nil
      }
      if got == 0 { break }
      filled += got
    }
    return filled
  }

  /// Why a file read as far as its examined size (`total` bytes) is not the file examined, if
  /// it is not: it ended early, or its size or mtime changed meanwhile (a file that grew
  /// after its last byte was read has another size).
  static func changed(_ fd: Int32, read total: Int64, expected: FileKey) -> EntryProblem? {
    var after = stat()
    guard fstat(fd, &after) == 0 else { return .unreadable(SystemFiles.errorText()) }
    let size = Int64(clamping: expected.size)
    if total != size || Int64(after.st_size) != size
      || Int64(after.st_mtim.tv_sec) != expected.modified.seconds
      || Int64(after.st_mtim.tv_nsec) != Int64(expected.modified.nanoseconds)
    {
      return .changedWhileReading
    }
    return nil
  }
}

/// One file whose content a walk still has to read: where it is, what it was when the walker
/// examined it, and which function to apply.
///
/// It keeps its ``DirectoryListing`` (and so the directory's descriptor) alive until it is read;
/// a hashing thread only reads the listing's `fd`, which never changes.
struct ContentRead: @unchecked Sendable {
  /// The hash functions a walk applies to contents.
  enum Function {
    /// SHA-256, the digest entries carry.
    case sha256
    /// SHA-1, what Cyrus 2.4+ records as a message's GUID (`--level guid`).
    case messageGUID
  }

  /// The directory the file is in.
  let directory: DirectoryListing
  /// The file's name: its index in the directory's ``DirectoryListing/names`` (most reads are
  /// never made, with a digest cache: an array per file would be made for nothing).
  let nameIndex: Int
  /// The file as `fstatat` saw it: it must still be that inode, of that size and mtime. Only
  /// these fields, not the whole `stat` (144 bytes): every walk step carries one.
  let expected: FileKey
  /// The function to apply.
  let function: Function

  /// The file's name, for the read.
  var name: [UInt8] { directory.names.withName(nameIndex) { name, _ in Array(name) } }
}
