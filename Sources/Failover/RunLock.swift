import Foundation
import Glibc

/// One procedure at a time: an exclusive `flock` on a file outside any Cyrus tree, held while
/// the procedure runs (the kernel drops it when the process ends, however it ends).
final class RunLock {
  private var fd: Int32

  /// Takes the lock at `path` (created 0600), or refuses when another run holds it.
  init(path: String) throws {
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      throw ProcedureError(
        .refused, "cannot open the lock \(path): \(String(cString: strerror(errno)))")
    }
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let holder =
        (try? String(contentsOfFile: path, encoding: .utf8))?
        .trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
      close(fd)
      fd = -1
      throw ProcedureError(
        .refused,
        "another cyrus-failover run holds \(path)" + (holder.isEmpty ? "" : " (pid \(holder))")
          + "; one procedure at a time")
    }
    let pid = Array("\(getpid())\n".utf8)
    _ = ftruncate(fd, 0)
    _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
  }

  /// Releases the lock.
  func release() {
    guard fd >= 0 else { return }
    close(fd)
    fd = -1
  }

  deinit { release() }
}
