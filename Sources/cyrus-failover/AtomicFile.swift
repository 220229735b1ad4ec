#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Replaces a file's content so that a reader (node_exporter's textfile collector) sees either
/// the old file or the whole new one, never a part: the text goes to a hidden temporary file in
/// the same directory (same file system), is synced, and is renamed over the target.
enum AtomicFile {
  /// Writes `text` to `path` with permission bits `mode` (whatever the umask).
  static func replace(_ path: String, with text: String, mode: mode_t = 0o644) throws {
    let slash = path.lastIndex(of: "/")
    let directory = slash.map { String(path[..<$0]) } ?? "."
    let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
    guard !name.isEmpty else { throw AtomicFileError(path: path, reason: "names a directory") }
    // Hidden and without the target's suffix, so that a collector reading *.prom skips it.
    let temporary = "\(directory)/.\(name).\(getpid()).tmp"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode)
    guard fd >= 0 else { throw AtomicFileError(path: temporary, errno: errno) }
    var written = false
    defer {
      if !written { unlink(temporary) }
    }
    do {
      defer { close(fd) }
      try writeAll(fd, Array(text.utf8), path: temporary)
      guard fchmod(fd, mode) == 0, fsync(fd) == 0 else {
        throw AtomicFileError(path: temporary, errno: errno)
      }
    }
    guard rename(temporary, path) == 0 else { throw AtomicFileError(path: path, errno: errno) }
    written = true
  }

  private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws {
    var offset = 0
    while offset < bytes.count {
      let count = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        throw AtomicFileError(path: path, errno: errno)
      }
      offset += count
    }
  }
}

/// A file ``AtomicFile`` could not write, with the reason.
struct AtomicFileError: Error, CustomStringConvertible {
  var path: String
  var reason: String

  init(path: String, reason: String) {
    self.path = path
    self.reason = reason
  }

  init(path: String, errno code: Int32) {
    self.init(path: path, reason: String(cString: strerror(code)))
  }

  var description: String { "\(path): cannot write: \(reason)" }
}
