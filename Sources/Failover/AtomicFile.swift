import Foundation
import Glibc
import SystemPackage

/// A file written whole or not at all, so a reader (Cyrus, node_exporter's textfile collector)
/// sees the old file or the whole new one, never a part: a hidden temporary file beside it (the
/// same file system, without the target's suffix), synced, then renamed over it. Used for
/// mailboxlist.txt in the source's config directory, the converted dump, and `--metrics`.
public enum AtomicFile {
  /// Replaces `path` with `bytes`, permission bits `mode` (whatever the umask), owned like
  /// `ownedLike` when given.
  public static func replace(
    _ path: String, with bytes: [UInt8], ownedLike: String? = nil, mode: mode_t = 0o644,
    stamp: String = "\(getpid())"
  ) throws {
    let directory = (path as NSString).deletingLastPathComponent
    let name = (path as NSString).lastPathComponent
    guard !name.isEmpty else { throw ProcedureError(.stepFailed, "\(path): names a directory") }
    let temporary = "\(directory.isEmpty ? "." : directory)/.\(name).cyrus-failover-\(stamp)"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
    guard fd >= 0 else { throw failure(temporary, "cannot create") }
    var ok = false
    defer {
      if !ok { unlink(temporary) }
    }
    do {
      defer { close(fd) }
      _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
      var info = stat()
      if let ownedLike, stat(ownedLike, &info) == 0 {
        guard fchown(fd, info.st_uid, info.st_gid) == 0 else { throw failure(temporary, "chown") }
      }
      guard fchmod(fd, mode) == 0, fsync(fd) == 0 else { throw failure(temporary, "write") }
    } catch let error as ProcedureError {
      throw error
    } catch {
      throw ProcedureError(.stepFailed, "\(temporary): cannot write: \(error)")
    }
    guard rename(temporary, path) == 0 else { throw failure(path, "cannot rename into place") }
    ok = true
  }

  /// The bytes of a file just written (at most 1 GiB).
  static func read(_ path: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path), data.count <= 1 << 30 else {
      throw ProcedureError(.stepFailed, "\(path): cannot read it back")
    }
    return [UInt8](data)
  }

  static func failure(_ path: String, _ what: String) -> ProcedureError {
    ProcedureError(.stepFailed, "\(path): \(what): \(String(cString: strerror(errno)))")
  }
}
