#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Opens the files and directories of a tree that may be damaged or hostile: never through a
/// symlink, never blocking on a FIFO or a device, never outside the instance's root.
///
/// A file is opened with `O_NONBLOCK|O_NOFOLLOW|O_NOCTTY`, so that a FIFO named like a Cyrus
/// file returns at once instead of waiting for a writer; the opened descriptor is `fstat`ed and
/// anything but a regular file is refused; then `O_NONBLOCK` is cleared. Below a root (a backup
/// directory, a root directory argument), every component is opened relative to the one
/// before with `O_NOFOLLOW`, like a chroot: a symlink anywhere on the way is refused, not
/// followed.
enum FileOpening {
  /// An open regular file and what `fstat` said of it; the caller closes `fd`.
  struct Opened {
    let fd: Int32
    let info: stat
  }

  /// `O_NOATIME` (Linux).
  static let noAccessTime: Int32 = 0o1000000

  /// Opens the regular file `name` in the directory open at `directory` (`AT_FDCWD`: `name` is
  /// a path) for reading.
  /// - Parameters:
  ///   - path: the file's path, for errors.
  ///   - followLinks: follow a final symlink (only for a file the operator named).
  ///   - extraFlags: more `open` flags (`O_NOATIME`); retried without them on `EPERM`.
  ///   - keepNonBlocking: leave `O_NONBLOCK` set, which saves two `fcntl` calls a file where
  ///     reading is all that follows (contents hashed or compared, a million files a walk):
  ///     Linux ignores the flag for reads of regular files (open(2)), and a read that still
  ///     says `EAGAIN` is an unreadable file, never a wait.
  /// - Throws: ``CyrusStoreError``: `wrongType` for a symlink or anything not a regular file,
  ///   else the errno's kind.
  static func regularFile(
    _ name: [UInt8], in directory: Int32 = AT_FDCWD, path: String, followLinks: Bool = false,
    extraFlags: Int32 = 0, keepNonBlocking: Bool = false
  ) throws(CyrusStoreError) -> Opened {
    let flags =
      O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (followLinks ? 0 : O_NOFOLLOW)
    var fd = name.withCString { openat(directory, $0, flags | extraFlags) }
    if fd < 0 && errno == EPERM && extraFlags != 0 {
      fd = name.withCString { openat(directory, $0, flags) }
    }
    guard fd >= 0 else {
      let code = errno
      if code == ELOOP && !followLinks {
        throw CyrusStoreError(.wrongType, path: path, detail: "is a symbolic link; not followed")
      }
      throw SystemFiles.error(for: code, path: path, doing: "cannot open")
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let code = errno
      close(fd)
      throw SystemFiles.error(for: code, path: path, doing: "cannot examine")
    }
    guard (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      let kind = EntryKind(mode: info.st_mode)
      throw CyrusStoreError(
        .wrongType, path: path, detail: "is a \(kind.rawValue), not a regular file; not read")
    }
    if !keepNonBlocking {
      let status = fcntl(fd, F_GETFL)
      if status >= 0 { _ = fcntl(fd, F_SETFL, status & ~O_NONBLOCK) }
    }
    return Opened(fd: fd, info: info)
  }

  /// Opens the regular file at `path`: below `root` component by component (see the type's
  /// summary), elsewhere with `O_NOFOLLOW` on its last component.
  static func regularFile(path: String, root: String?) throws(CyrusStoreError) -> Opened {
    let (directory, name) = try parentDirectory(of: path, root: root)
    defer { if directory != AT_FDCWD { close(directory) } }
    return try regularFile(Array(name.utf8), in: directory, path: path)
  }

  /// Opens the directory at `path` with `O_NOFOLLOW` (below `root`, every component so).
  /// - Returns: the descriptor, or the errno of the component that failed (`ELOOP`: a symlink).
  static func directory(path: String, root: String?) -> Result<Int32, Errno> {
    let parent: (fd: Int32, name: String)
    do {
      parent = try parentDirectory(of: path, root: root)
    } catch {
      let code: Int32
      switch error.kind {
      case .wrongType: code = ELOOP
      case .notFound: code = ENOENT
      case .permissionDenied: code = EACCES
      default: code = EIO
      }
      return .failure(Errno(code: code, text: error.description))
    }
    defer { if parent.fd != AT_FDCWD { close(parent.fd) } }
    let flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC
    let fd = parent.name.isEmpty ? dup(parent.fd) : openat(parent.fd, parent.name, flags)
    guard fd >= 0 else {
      let code = errno
      return .failure(Errno(code: code, text: "\(path): \(SystemFiles.errorText(code))"))
    }
    return .success(fd)
  }

  /// An errno value with a sentence naming the path that failed.
  struct Errno: Error {
    let code: Int32
    let text: String
  }

  /// The directory holding `path`, open, and the last component. Below `root`, the directory is
  /// reached from the root one component at a time with `O_NOFOLLOW`; elsewhere it is opened
  /// by path (the operator's own directories). `AT_FDCWD` stands for "not opened" when `path`
  /// has no directory part.
  static func parentDirectory(of path: String, root: String?) throws(CyrusStoreError) -> (
    fd: Int32, name: String
  ) {
    if let root, let inside = RootedPath.components(of: path, under: root) {
      var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard fd >= 0 else { throw SystemFiles.error(for: errno, path: root, doing: "cannot open") }
      guard let last = inside.last else { return (fd, "") }
      var reached = root
      for component in inside.dropLast() {
        reached = CyrusInstance.join(reached, component)
        let next = openat(fd, component, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        let code = errno
        close(fd)
        guard next >= 0 else {
          if code == ELOOP || code == ENOTDIR {
            var info = stat()
            if lstat(reached, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
              throw CyrusStoreError(
                .wrongType, path: reached,
                detail: "is a symbolic link inside the root \(root); not followed")
            }
          }
          throw SystemFiles.error(for: code, path: reached, doing: "cannot open")
        }
        fd = next
      }
      return (fd, last)
    }
    guard let slash = path.lastIndex(of: "/") else { return (AT_FDCWD, path) }
    let parent = CyrusInstance.parentDirectory(path)
    let name = String(path[path.index(after: slash)...])
    let fd = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard fd >= 0 else { throw SystemFiles.error(for: errno, path: parent, doing: "cannot open") }
    return (fd, name)
  }
}
