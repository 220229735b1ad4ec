import CyrusStore
import Foundation
import Glibc
import Verification

extension ManifestWriter {
  /// Saves the manifest of a local instance to `path` (created 0600, replaced atomically when
  /// complete: a manifest cut short never stands under its name), walking it with `options`.
  /// - Returns: the entries and bytes written.
  public static func save(
    _ instance: CyrusInstance, options: WalkOptions, to path: String, toolVersion: String
  ) throws -> (entries: Int, bytes: Int) {
    try atomically(path) { fd in
      let header = ManifestFile.Header(
        toolVersion: toolVersion, level: options.level, includeRuntime: options.includeRuntime,
        created: Int64(Date().timeIntervalSince1970), origin: instance.configFile,
        instance: InstanceDescription(instance))
      let writer = try ManifestWriter(
        fd: fd, header: header, mailboxFiles: MailboxFiles.collect(instance))
      let source = PrefetchingSource { InstanceWalker(instance: instance, options: options) }
      defer { source.cancel() }
      while let entry = try source.next() { try writer.append(entry) }
      try writer.finish()
      return writer
    }
  }

  /// Writes a manifest through `write` into `path.partial` (0600), syncs it and renames it to
  /// `path`; a failure leaves no file under `path`'s name.
  static func atomically(_ path: String, _ write: (Int32) throws -> ManifestWriter) throws
    -> (entries: Int, bytes: Int)
  {
    let temporary = path + ".partial"
    let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0o600)
    guard fd >= 0 else {
      throw RemoteError(
        .manifest, "\(temporary): cannot write the manifest: \(String(cString: strerror(errno)))")
    }
    var closed = false
    defer {
      if !closed {
        close(fd)
        unlink(temporary)
      }
    }
    let writer = try write(fd)
    guard fsync(fd) == 0, close(fd) == 0 else {
      closed = true
      unlink(temporary)
      throw RemoteError(
        .manifest, "\(temporary): cannot write the manifest: \(String(cString: strerror(errno)))")
    }
    closed = true
    guard rename(temporary, path) == 0 else {
      throw RemoteError(
        .manifest, "\(path): cannot put the manifest in place: \(String(cString: strerror(errno)))")
    }
    return (writer.entries, writer.bytesWritten)
  }
}
