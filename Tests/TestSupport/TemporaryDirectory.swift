import Foundation

/// A fresh directory for one test, removed (with everything in it) when the test lets go of it,
/// and the few ways tests fill it.
public final class TemporaryDirectory {
  /// Its absolute path.
  public let path: String

  /// Creates it under `base` (the system temporary directory by default; `/dev/shm` for files
  /// of 2^63−1 bytes, which tmpfs allows and most disk file systems refuse); `prefix` names the
  /// test area in the directory's name, for a person looking at /tmp while a test runs.
  public init(prefix: String = "cyrus-failover-test", base: String = NSTemporaryDirectory())
    throws
  {
    path = base + (base.hasSuffix("/") ? "" : "/") + prefix + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `relative` (its directories created) with `mode`; returns the full path.
  @discardableResult
  public func write(_ relative: String, _ bytes: [UInt8], mode: Int = 0o600) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(bytes).write(to: URL(fileURLWithPath: full))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: full)
    return full
  }

  /// Writes `text` as UTF-8 to `relative`; returns the full path.
  @discardableResult
  public func write(_ relative: String, _ text: String = "", mode: Int = 0o600) throws -> String {
    try write(relative, Array(text.utf8), mode: mode)
  }

  /// The bytes of `relative`.
  public func read(_ relative: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path + "/" + relative)))
  }

  /// Makes the directory `relative` and its parents.
  public func mkdir(_ relative: String) throws {
    try FileManager.default.createDirectory(
      atPath: path + "/" + relative, withIntermediateDirectories: true)
  }

  /// Makes `relative` a symbolic link to `target` (as given: relative or absolute).
  public func symlink(_ relative: String, to target: String) throws {
    try FileManager.default.createSymbolicLink(
      atPath: path + "/" + relative, withDestinationPath: target)
  }

  /// Makes `relative` a hard link to the existing `existing` (both inside the directory).
  public func hardlink(_ relative: String, to existing: String) throws {
    try FileManager.default.linkItem(atPath: path + "/" + existing, toPath: path + "/" + relative)
  }
}
