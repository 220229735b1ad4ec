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
  func digest(name: [UInt8], in directory: Int32, expected: stat) -> Result<[UInt8], EntryProblem> {
    digest(name: name, in: directory, expected: expected, using: SHA256())
  }

  /// SHA-1 of the file, the function Cyrus 2.4+ records as a message's GUID.
  func messageGUID(name: [UInt8], in directory: Int32, expected: stat) -> Result<
    [UInt8], EntryProblem
  > {
    digest(name: name, in: directory, expected: expected, using: Insecure.SHA1())
  }

  private func digest<Hash: HashFunction>(
    name: [UInt8], in directory: Int32, expected: stat, using start: Hash
  )
    -> Result<[UInt8], EntryProblem>
  {
    beforeOpening?(name)
    // Opened without blocking and checked before reading: the file examined may have been
    // swapped for a FIFO (whose open would wait for a writer forever) or anything else.
    let opened: FileOpening.Opened
    do {
      opened = try FileOpening.regularFile(
        name, in: directory, path: String(decoding: name, as: UTF8.self),
        extraFlags: FileOpening.noAccessTime)
    } catch {
      switch error.kind {
      case .notFound: return .failure(.vanished)
      case .wrongType: return .failure(.changedWhileReading)
      default: return .failure(.unreadable(error.detail))
      }
    }
    let fd = opened.fd
    defer { close(fd) }
    let before = opened.info
    guard before.st_ino == expected.st_ino, before.st_dev == expected.st_dev,
      (expected.st_mode & S_IFMT) == S_IFREG
    else {
      return .failure(.changedWhileReading)
    }
    if let problem = SparseFiles.problem(fd: fd, size: Int(before.st_size)) {
      return .failure(.unreadable(problem))
    }
    var hasher = start
    var total: Int64 = 0
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return .failure(.unreadable(SystemFiles.errorText()))
      }
      if count == 0 { break }
      total += Int64(count)
      buffer.withUnsafeBytes {
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count]))
      }
    }
    var after = stat()
    guard fstat(fd, &after) == 0 else { return .failure(.unreadable(SystemFiles.errorText())) }
    if total != Int64(expected.st_size) || after.st_size != expected.st_size
      || after.st_mtim.tv_sec != expected.st_mtim.tv_sec
      || after.st_mtim.tv_nsec != expected.st_mtim.tv_nsec
    {
      return .failure(.changedWhileReading)
    }
    return .success(Array(hasher.finalize()))
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
  /// The file's name in it.
  let name: [UInt8]
  /// The file as `fstatat` saw it: it must still be that inode, of that size and mtime.
  let expected: stat
  /// The function to apply.
  let function: Function
}
