#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Small, bounded file reads with the system calls; the walker has its own.
enum SystemFiles {
  /// The text of `errno` now.
  static func errorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
  }

  /// Reads a whole small file (a config file, mailboxes.db) with `read(2)`, refusing files over
  /// `limit` bytes and anything but a regular file; a symlink is followed only with
  /// `followLinks` (a file the operator named), and below `root` no component may be one
  /// (``FileOpening``).
  static func readFile(
    _ path: String, limit: Int, root: String? = nil, followLinks: Bool = false
  ) throws(CyrusStoreError) -> [UInt8] {
    let opened =
      followLinks
      ? try FileOpening.regularFile(Array(path.utf8), path: path, followLinks: true)
      : try FileOpening.regularFile(path: path, root: root)
    defer { close(opened.fd) }
    return try readAll(opened, path: path, limit: limit)
  }

  /// Copies the regular file `path` (no symlink, no FIFO, not out of `root`) into an unnamed
  /// temporary file a chunk at a time, refusing more than `limit` bytes.
  static func copyFile(_ path: String, limit: Int, root: String?) throws(CyrusStoreError)
    -> TemporaryCopy
  {
    let opened = try FileOpening.regularFile(path: path, root: root)
    defer { close(opened.fd) }
    guard opened.info.st_size <= limit else {
      throw CyrusStoreError(
        .tooLarge, path: path, detail: "\(opened.info.st_size) bytes, larger than \(limit)")
    }
    return try TemporaryCopy.copying(opened.fd, path: path, limit: limit)
  }

  /// Reads the whole regular file `name` in the directory open at `directory` (no symlink,
  /// no FIFO), refusing more than `limit` bytes; `path` names it in errors.
  static func readFile(_ name: [UInt8], in directory: Int32, path: String, limit: Int)
    throws(CyrusStoreError) -> [UInt8]
  {
    let opened = try FileOpening.regularFile(name, in: directory, path: path)
    defer { close(opened.fd) }
    return try readAll(opened, path: path, limit: limit)
  }

  private static func readAll(_ opened: FileOpening.Opened, path: String, limit: Int)
    throws(CyrusStoreError) -> [UInt8]
  {
    guard opened.info.st_size <= limit else {
      throw CyrusStoreError(
        .tooLarge, path: path, detail: "\(opened.info.st_size) bytes, larger than \(limit)")
    }
    return try readAll(fd: opened.fd, path: path, limit: limit)
  }

  /// Reads all of an open file, refusing more than `limit` bytes.
  static func readAll(fd: Int32, path: String, limit: Int) throws(CyrusStoreError) -> [UInt8] {
    var result: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
      let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw error(for: errno, path: path, doing: "cannot read")
      }
      if count == 0 { return result }
      result += buffer[0..<count]
      if result.count > limit {
        throw CyrusStoreError(.tooLarge, path: path, detail: "larger than \(limit) bytes")
      }
    }
  }

  /// `lstat`/`stat` result kind, or the error.
  static func kind(of path: String, followingLinks: Bool = true) -> Result<
    EntryKind, CyrusStoreError
  > {
    var info = stat()
    let status = followingLinks ? stat(path, &info) : lstat(path, &info)
    guard status == 0 else {
      return .failure(error(for: errno, path: path, doing: "cannot examine"))
    }
    return .success(EntryKind(mode: info.st_mode))
  }

  /// A typed error for an errno value.
  static func error(for code: Int32, path: String, doing action: String) -> CyrusStoreError {
    let kind: CyrusStoreError.Kind
    switch code {
    case ENOENT: kind = .notFound
    case EACCES, EPERM: kind = .permissionDenied
    case ENOTDIR, EISDIR: kind = .wrongType
    default: kind = .system
    }
    return CyrusStoreError(kind, path: path, detail: "\(action): \(errorText(code))")
  }
}

extension EntryKind {
  /// The kind named by an `st_mode`.
  init(mode: mode_t) {
    switch mode & S_IFMT {
    case S_IFREG: self = .file
    case S_IFDIR: self = .directory
    case S_IFLNK: self = .symlink
    case S_IFIFO: self = .fifo
    case S_IFSOCK: self = .socket
    case S_IFBLK: self = .blockDevice
    case S_IFCHR: self = .characterDevice
    default: self = .unknown
    }
  }
}
