import Foundation
import TestSupport

@testable import CyrusStore

/// Bit rot as a digest cache sees it: a message file's bytes change under the file system, so
/// that its key (device, inode, size, mtime, ctime) is what the cache recorded and only its
/// content differs. A write always moves the ctime, so the flip is made with a write and the
/// cache record is then given the file's new key, keeping the old digest.
enum DigestCacheBitRot {
  /// Flips a byte of `relative` (a path under the spool of the instance at `instance`) and
  /// rewrites that instance's cache in `cacheDirectory` to match its key.
  static func plant(_ relative: String, spool: String, instance: String, cacheDirectory: String)
    throws
  {
    let path = spool + "/" + relative
    try BitRot.flipMiddleByte(of: path)
    var info = stat()
    guard lstat(path, &info) == 0 else { throw CocoaError(.fileReadNoSuchFile) }
    let key = FileKey(info)
    let identity = DigestCacheIdentity(try CyrusInstance.locate(instance))
    let name = DigestCacheFormat.fileName(for: identity)
    let directory = DigestCacheDirectory.open(cacheDirectory)
    guard directory >= 0 else { throw CocoaError(.fileReadNoSuchFile) }
    defer { close(directory) }
    let reader = try DigestCacheReader(name: name, in: directory, identity: identity)
    let writer = DigestCacheWriter(
      directory: directory, name: name, identity: identity, run: reader.run)
    var planted = false
    while var record = reader.next() {
      if String(decoding: record.path, as: UTF8.self) == relative {
        record.key = key
        planted = true
      }
      writer.append(record)
    }
    guard planted, reader.damage == nil, let totals = reader.totals else {
      throw CocoaError(.fileReadCorruptFile)
    }
    writer.commit(files: totals.files, bytes: totals.bytes)
    if writer.failure != nil { throw CocoaError(.fileWriteUnknown) }
  }
}
