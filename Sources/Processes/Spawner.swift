import CSpawn
import Glibc
import SystemPackage

/// The `posix_spawn` call behind ``ChildProcess``: pipes and redirections, a new process group,
/// default signal dispositions and an empty signal mask in the child, every descriptor above 2
/// closed in it, and the environment exactly as given.
enum Spawner {
  /// A pipe end this process keeps to drain a captured output.
  struct Capture {
    var fd: FileDescriptor
    var limit: Int
    var tail: Bool
  }

  /// What a spawn leaves to its owner.
  struct Spawned {
    var pid: pid_t
    var inputPipe: FileDescriptor?
    var feedPipe: FileDescriptor?
    var outputPipe: FileDescriptor?
    var errorPipe: FileDescriptor?
    var outputCapture: Capture?
    var errorCapture: Capture?
  }

  static func spawn(_ invocation: Invocation) throws(ProcessError) -> Spawned {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    // Ends this process keeps, and ends only the child uses (closed here after the spawn).
    var childEnds: [FileDescriptor] = []
    var spawned = Spawned(pid: 0)
    func fail(_ kind: ProcessError.Kind, _ reason: String) -> ProcessError {
      for end in childEnds { try? end.close() }
      for end in [
        spawned.inputPipe, spawned.feedPipe, spawned.outputPipe, spawned.errorPipe,
        spawned.outputCapture?.fd, spawned.errorCapture?.fd,
      ] {
        try? end?.close()
      }
      return ProcessError(kind, executable: invocation.executable, reason: reason)
    }
    func pipe() throws(ProcessError) -> (read: FileDescriptor, write: FileDescriptor) {
      do {
        return try SystemCalls.pipe()
      } catch {
        throw fail(.spawn, "cannot make a pipe: \(SystemCalls.text(error))")
      }
    }

    switch invocation.standardInput {
    case .null:
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    case .file(let path):
      posix_spawn_file_actions_addopen(&actions, 0, path, O_RDONLY | O_NOCTTY, 0)
    case .descriptor(let fd):
      // dup2 onto 0 clears close-on-exec, except from 0 onto itself: a copy above 2 first.
      let copy = fcntl(fd, F_DUPFD_CLOEXEC, 3)
      guard copy >= 0 else {
        throw fail(.spawn, "cannot pass on descriptor \(fd): \(String(cString: strerror(errno)))")
      }
      childEnds.append(FileDescriptor(rawValue: copy))
      posix_spawn_file_actions_adddup2(&actions, copy, 0)
    case .bytes, .pipe:
      let ends = try pipe()
      childEnds.append(ends.read)
      posix_spawn_file_actions_adddup2(&actions, ends.read.rawValue, 0)
      if case .pipe = invocation.standardInput {
        spawned.inputPipe = ends.write
      } else {
        spawned.feedPipe = ends.write
      }
    }
    for (number, output) in [(Int32(1), invocation.standardOutput), (2, invocation.standardError)] {
      switch output {
      case .discard:
        posix_spawn_file_actions_addopen(&actions, number, "/dev/null", O_WRONLY, 0)
      case .inherit:
        break
      case .file(let path, let append):
        let flags = O_WRONLY | O_CREAT | O_NOCTTY | (append ? O_APPEND : O_TRUNC)
        posix_spawn_file_actions_addopen(&actions, number, path, flags, 0o600)
      case .pipe, .capture, .captureTail:
        let ends = try pipe()
        childEnds.append(ends.write)
        posix_spawn_file_actions_adddup2(&actions, ends.write.rawValue, number)
        var capture: Capture?
        if case .capture(let limit) = output {
          capture = Capture(fd: ends.read, limit: limit, tail: false)
        }
        if case .captureTail(let limit) = output {
          capture = Capture(fd: ends.read, limit: limit, tail: true)
        }
        if number == 1 {
          if let capture { spawned.outputCapture = capture } else { spawned.outputPipe = ends.read }
        } else {
          if let capture { spawned.errorCapture = capture } else { spawned.errorPipe = ends.read }
        }
      }
    }
    cspawn_addclosefrom(&actions, 3)
    if let directory = invocation.workingDirectory {
      cspawn_addchdir(&actions, directory)
    }

    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigfillset(&defaults)
    sigdelset(&defaults, SIGKILL)
    sigdelset(&defaults, SIGSTOP)
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

    var argv: [UnsafeMutablePointer<CChar>?] = invocation.argv.map { strdup($0) }
    argv.append(nil)
    defer { argv.forEach { free($0) } }
    var envp: [UnsafeMutablePointer<CChar>?] = invocation.environment.sorted { $0.key < $1.key }
      .map { strdup("\($0.key)=\($0.value)") }
    envp.append(nil)
    defer { envp.forEach { free($0) } }

    var pid: pid_t = 0
    let status = posix_spawn(&pid, invocation.executable, &actions, &attributes, argv, envp)
    guard status == 0 else {
      throw fail(.spawn, "cannot start: \(String(cString: strerror(status)))")
    }
    for end in childEnds { try? end.close() }
    spawned.pid = pid
    return spawned
  }
}
