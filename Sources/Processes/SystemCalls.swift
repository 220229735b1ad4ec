import CSpawn
import Glibc
import SystemPackage

/// The few system calls the runner makes besides posix_spawn, each retried on EINTR.
enum SystemCalls {
  /// Whether `path` is a regular file this process may execute.
  static func isExecutableFile(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
  }

  /// A pipe whose two ends close at exec.
  static func pipe() throws(Errno) -> (read: FileDescriptor, write: FileDescriptor) {
    var ends: [Int32] = [-1, -1]
    guard cspawn_pipe_cloexec(&ends) == 0 else { throw Errno(rawValue: errno) }
    return (FileDescriptor(rawValue: ends[0]), FileDescriptor(rawValue: ends[1]))
  }

  /// `waitpid`, retried on EINTR: the status, nil while the child runs (`block` false), or
  /// nil and `gone` when it is not (any more) this process's child.
  static func waitpid(_ pid: pid_t, block: Bool) -> (status: Int32?, gone: Bool) {
    var raw: Int32 = 0
    while true {
      let result = Glibc.waitpid(pid, &raw, block ? 0 : WNOHANG)
      if result == pid { return (raw, false) }
      if result == 0 { return (nil, false) }
      if errno == EINTR { continue }
      return (nil, true)
    }
  }

  /// `poll` on one descriptor for reading: true when it is readable or closed, false when
  /// `milliseconds` passed.
  static func waitReadable(_ fd: FileDescriptor, milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: fd.rawValue, events: Int16(POLLIN), revents: 0)
    while true {
      let count = Glibc.poll(&entry, 1, milliseconds)
      if count < 0 && errno == EINTR { continue }
      return count > 0
    }
  }

  /// The current wall-clock time in seconds since the epoch.
  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }

  /// The errno text.
  static func text(_ error: Errno) -> String { String(cString: strerror(error.rawValue)) }
}
