import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One child process started with `posix_spawn`: standard input from /dev/null, standard output
/// and standard error on pipes of this process. It is always reaped (`waitpid`), also when the
/// reading side stops early, so no zombie is left behind.
final class BerkeleyChild {
  /// How the child ended.
  enum Status: Equatable {
    case exited(Int32)
    case signaled(Int32)
    case timedOut
  }

  private let pid: pid_t
  private var output: Int32
  private var error: Int32
  private var reaped = false

  /// Starts `arguments[0]` with `arguments`.
  /// - Parameter fail: builds the error for a child that cannot be started.
  init<E: Error>(arguments: [String], fail: (String) -> E) throws(E) {
    // Pipes and spawn under one lock: a pipe made by another reader's thread cannot leak into
    // this child before it is marked close-on-exec (glibc's pipe2 is not visible from Swift).
    Self.spawnLock.lock()
    defer { Self.spawnLock.unlock() }
    guard let outputPipe = Self.pipe() else {
      throw fail("cannot make a pipe for the Berkeley DB reader: \(Self.errnoText())")
    }
    guard let errorPipe = Self.pipe() else {
      let text = Self.errnoText()
      close(outputPipe.read)
      close(outputPipe.write)
      throw fail("cannot make a pipe for the Berkeley DB reader: \(text)")
    }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    // dup2 clears close-on-exec on the copies; the pipes themselves close at exec.
    posix_spawn_file_actions_adddup2(&actions, outputPipe.write, 1)
    posix_spawn_file_actions_adddup2(&actions, errorPipe.write, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    // SSHTransport ignores SIGPIPE here; the child gets default dispositions and no mask.
    var defaults = sigset_t()
    sigemptyset(&defaults)
    sigaddset(&defaults, SIGPIPE)
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, arguments[0], &actions, &attributes, argv, environ)
    close(outputPipe.write)
    close(errorPipe.write)
    guard status == 0 else {
      close(outputPipe.read)
      close(errorPipe.read)
      throw fail(
        "cannot start the Berkeley DB reader \(arguments[0]): \(String(cString: strerror(status)))")
    }
    self.pid = pid
    output = outputPipe.read
    error = errorPipe.read
  }

  deinit { end() }

  /// Whether either pipe is still open.
  var hasOpenPipes: Bool { output >= 0 || error >= 0 }

  /// Waits until a pipe has data or was closed, or `milliseconds` pass.
  func poll(milliseconds: Int32) -> (output: Int32?, error: Int32?) {
    var fds = [
      pollfd(fd: output, events: Int16(POLLIN), revents: 0),
      pollfd(fd: error, events: Int16(POLLIN), revents: 0),
    ]
    let count = Glibc.poll(&fds, nfds_t(fds.count), milliseconds)
    guard count > 0 else { return (nil, nil) }
    let ready = Int16(POLLIN | POLLHUP | POLLERR | POLLNVAL)
    return (
      output >= 0 && fds[0].revents & ready != 0 ? output : nil,
      error >= 0 && fds[1].revents & ready != 0 ? error : nil
    )
  }

  /// Reads what is there into `buffer`: the byte count, 0 at the end (or on a read error).
  func read(_ fd: Int32, into buffer: inout [UInt8]) -> Int {
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
      if count < 0 && errno == EINTR { continue }
      return max(count, 0)
    }
  }

  func closeOutput() {
    if output >= 0 { close(output) }
    output = -1
  }

  func closeError() {
    if error >= 0 { close(error) }
    error = -1
  }

  /// Kills the child (SIGKILL) and reaps it.
  func kill() {
    guard !reaped else { return }
    _ = Glibc.kill(pid, SIGKILL)
    _ = reap(blocking: true)
  }

  /// Closes the pipes, kills the child if it is still running, and reaps it.
  func end() {
    closeOutput()
    closeError()
    kill()
  }

  /// Waits for the child to exit, killing it at `deadline` (`DispatchTime` nanoseconds).
  func wait(deadline: UInt64) -> Status {
    while true {
      if let status = reap(blocking: false) { return status }
      if DispatchTime.now().uptimeNanoseconds >= deadline {
        kill()
        return .timedOut
      }
      usleep(10_000)
    }
  }

  private var lastStatus: Status = .timedOut

  /// `waitpid`, retried on EINTR; nil while the child runs (`blocking` false).
  private func reap(blocking: Bool) -> Status? {
    if reaped { return lastStatus }
    var raw: Int32 = 0
    while true {
      let result = waitpid(pid, &raw, blocking ? 0 : WNOHANG)
      if result == 0 { return nil }
      if result < 0 {
        if errno == EINTR { continue }
        // Not our child any more (ECHILD): nothing to reap.
        reaped = true
        lastStatus = .exited(-1)
        return lastStatus
      }
      break
    }
    reaped = true
    let signal = raw & 0x7f
    lastStatus = signal == 0 ? .exited((raw >> 8) & 0xff) : .signaled(signal)
    return lastStatus
  }

  private static let spawnLock = NSLock()

  /// A pipe whose two ends close at exec.
  private static func pipe() -> (read: Int32, write: Int32)? {
    var ends: [Int32] = [-1, -1]
    guard Glibc.pipe(&ends) == 0 else { return nil }
    for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
    return (ends[0], ends[1])
  }

  private static func errnoText() -> String { String(cString: strerror(errno)) }
}
