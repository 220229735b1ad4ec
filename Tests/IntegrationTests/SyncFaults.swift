import Foundation
import Processes
import TestSupport
import Testing

/// What the fault tests of `sync` share: the tool run in the background (to signal it), its
/// JSON log read while it runs, and the small wrapper programs that make a fault happen at a
/// moment the test chooses.
enum SyncFaults {
  /// A deadline generous enough for a loaded two-core machine; waits end on an event, never on it.
  static let patience = Duration.seconds(120)

  /// Runs until `condition` holds, polling every 100 ms; throws when `deadline` passes first.
  static func waitUntil(
    _ what: String, within limit: Duration = patience, _ condition: () throws -> Bool
  ) throws {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
      if try condition() { return }
      Thread.sleep(forTimeInterval: 0.1)
    }
    if try condition() { return }
    throw ProcessFailure(description: "waited \(limit) for \(what)")
  }

  /// The events of a procedure's JSON log (`--log`) so far, `event step` each.
  static func events(_ log: String) -> [String] {
    guard let data = FileManager.default.contents(atPath: log) else { return [] }
    return data.split(separator: 0x0A).compactMap { line in
      guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
      else { return nil }
      return "\(object["event"] as? String ?? "?") \(object["step"] as? String ?? "-")"
    }
  }

  /// Writes an executable file.
  static func writeProgram(_ path: String, _ text: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, 0o755)
  }

  /// The primary's status command as a Python list literal, for a wrapper that acts only
  /// while the primary is stopped (LSB status 3).
  static func statusCall(_ pair: SyncPair) -> String {
    "['python3', '\(CyrusInstanceScript.path)', 'status', '\(pair.primary.root)']"
  }

  /// A directory holding `rsync`: the real `/usr/bin/rsync`, except that once the primary is
  /// stopped it is killed with SIGKILL. A wrapper, because the fault must be real rsync being
  /// killed, at a moment the test chooses: the process the tool started becomes rsync (exec),
  /// with its standard output a pipe filled beforehand, so it cannot end before it writes its
  /// `--stats` report there — it has copied what it had to and is blocked in that write when
  /// the killer (a child of the wrapper, watching /proc) sends SIGKILL. `mark` records it.
  static func rsyncKiller(in directory: String, pair: SyncPair, mark: String) throws -> String {
    let bin = directory + "/rsync-killer"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    try writeProgram(
      bin + "/rsync",
      """
      #!/usr/bin/python3
      import os, signal, subprocess, sys, time
      real = ['rsync'] + sys.argv[1:]
      if subprocess.run(\(statusCall(pair)), stdout=subprocess.DEVNULL,
                        stderr=subprocess.DEVNULL).returncode != 3:
          os.execv('/usr/bin/rsync', real)
      read, write = os.pipe()
      os.set_blocking(write, False)
      try:
          while True:
              os.write(write, b'x' * 65536)
      except BlockingIOError:
          pass
      os.set_blocking(write, True)
      me = os.getpid()
      if os.fork() == 0:
          os.close(write)
          null = os.open('/dev/null', os.O_RDWR)
          for fd in (0, 1, 2):
              os.dup2(null, fd)
          deadline = time.monotonic() + 300
          while time.monotonic() < deadline:
              try:
                  exe = os.readlink('/proc/%d/exe' % me)
                  call = open('/proc/%d/syscall' % me).read().split()
              except OSError:
                  os._exit(1)
              if exe == '/usr/bin/rsync' and call[:2] == ['1', '0x1']:
                  break
              time.sleep(0.005)
          with open('\(mark)', 'a') as note:
              note.write('killed rsync %d\\n' % me)
          os.kill(me, signal.SIGKILL)
          os._exit(0)
      os.close(read)
      os.dup2(write, 1)
      os.close(write)
      os.execv('/usr/bin/rsync', real)

      """)
    return bin
  }

  /// An `ssh` that is the real one, except for an `rsync --server` connection made while the
  /// primary is stopped: that one it relays until the remote rsync has answered (its first
  /// bytes: the connection carries rsync), then cuts — the real ssh killed with SIGKILL, those
  /// bytes never passed on, and this process ending as a killed ssh would. `mark` records it.
  static func sshCutter(in directory: String, pair: SyncPair, mark: String) throws -> String {
    let path = directory + "/ssh-cutter"
    try writeProgram(
      path,
      """
      #!/usr/bin/python3
      import os, signal, subprocess, sys, threading
      args = sys.argv[1:]
      if 'rsync' not in args or '--server' not in args or subprocess.run(
              \(statusCall(pair)), stdout=subprocess.DEVNULL,
              stderr=subprocess.DEVNULL).returncode != 3:
          os.execv('/usr/bin/ssh', ['ssh'] + args)
      ssh = subprocess.Popen(['/usr/bin/ssh'] + args, stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE)
      def forward():
          try:
              while True:
                  data = os.read(0, 65536)
                  if not data:
                      break
                  ssh.stdin.write(data)
                  ssh.stdin.flush()
          except OSError:
              pass
      threading.Thread(target=forward, daemon=True).start()
      first = os.read(ssh.stdout.fileno(), 65536)
      ssh.kill()
      ssh.wait()
      with open('\(mark)', 'a') as note:
          note.write('cut after %d bytes from the remote rsync\\n' % len(first))
      os.kill(os.getpid(), signal.SIGKILL)

      """)
    return path
  }

  /// A `--primary-stop` that stops the primary for real, then waits (600 s) so that the
  /// window stays open until the test acts; it writes its pid to `pidFile` first.
  static func stopThenWait(_ pair: SyncPair, pidFile: String) -> String {
    "sh -c 'echo $$ > \(pidFile); \(pair.service("stop", pair.primary)) && exec sleep 600'"
  }

  /// Whether process `pid` (read from `file`) still lives.
  static func lives(pidFile file: String) -> Bool {
    guard let data = FileManager.default.contents(atPath: file),
      let pid = pid_t(
        String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    else { return false }
    return LiveCyrusInstance.isLive(pid)
  }

  /// Checks what every fault ends with: exit status 2, `step` named as the failed one, the
  /// primary's Cyrus running again and its files as in `snapshot`.
  static func expectRecovered(
    _ result: TestPrograms.Result, failedStep step: String, _ pair: SyncPair, snapshot: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    #expect(result.status == 2, "\(result.stderr)", sourceLocation: sourceLocation)
    let document = try SyncPair.document(result)
    let report = try #require(document["report"] as? [String: Any])
    #expect(report["outcome"] as? String == "failed", sourceLocation: sourceLocation)
    #expect(
      report["failedStep"] as? String == step, "\(report["failure"] ?? "")",
      sourceLocation: sourceLocation)
    #expect(try pair.primary.status() == .running, sourceLocation: sourceLocation)
    #expect(
      try SyncPair.changes(pair.primary, since: snapshot) == [], sourceLocation: sourceLocation)
  }
}

/// `cyrus-failover` started in the background, for a test that acts while it runs.
final class BackgroundTool {
  private let child: ChildProcess

  /// Starts `arguments` (the executable first) with this process's environment.
  init(_ arguments: [String]) throws {
    child = try TestPrograms.runner.start(
      Invocation(
        arguments[0], Array(arguments.dropFirst()),
        environment: ProcessInfo.processInfo.environment,
        standardOutput: .capture(limit: 1 << 26), standardError: .capture(limit: 1 << 24)))
  }

  deinit { child.terminate(grace: .seconds(5)) }

  var pid: pid_t { child.pid }

  /// Whether it still runs.
  var isRunning: Bool { child.poll() == nil }

  /// Sends `signal` to the tool alone (not its process group).
  func send(_ signal: Int32) { kill(child.pid, signal) }

  /// Waits for its end (ended with SIGKILL past `limit`, and that is an error).
  func finish(within limit: Duration = SyncFaults.patience) throws -> TestPrograms.Result {
    guard child.wait(until: ContinuousClock.now + limit) != nil else {
      child.terminate(grace: .seconds(5))
      throw ProcessFailure(description: "cyrus-failover did not end within \(limit)")
    }
    let outcome = child.finish()
    let status: Int32 =
      switch outcome.termination {
      case .exited(let code): code
      case .signaled(let signal): 128 + signal
      }
    return TestPrograms.Result(
      status: status, termination: outcome.termination, output: outcome.standardOutput,
      stderr: outcome.errorText)
  }
}

/// A tmpfs mounted for one test; `unmount()` (also called on deinit) takes it away.
final class TmpfsMount {
  let path: String
  private var mounted = true

  /// Mounts a tmpfs of `bytes` on `path` (which exists), its root owned like `path` was.
  init(on path: String, bytes: Int) throws {
    var info = stat()
    guard stat(path, &info) == 0 else { throw ProcessFailure(description: "\(path): no such path") }
    self.path = path
    try TestPrograms.must([
      "mount", "-t", "tmpfs", "-o",
      "size=\(bytes),mode=\(String(info.st_mode & 0o7777, radix: 8)),uid=\(info.st_uid),gid=\(info.st_gid)",
      "tmpfs", path,
    ])
  }

  /// Unmounts it (lazily when busy); later calls do nothing.
  func unmount() {
    guard mounted else { return }
    mounted = false
    if (try? TestPrograms.run(["umount", path]))?.status != 0 {
      _ = try? TestPrograms.run(["umount", "-l", path])
    }
  }

  deinit { unmount() }
}
