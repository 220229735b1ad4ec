import Foundation

/// A directory under the system temporary directory, removed when the test is done with it.
final class TemporaryTree {
  let path: String

  /// Makes the directory under `base` (the system temporary directory by default; `/dev/shm`
  /// for files of 2^63−1 bytes, which tmpfs allows and most disk file systems refuse).
  init(base: String = NSTemporaryDirectory()) throws {
    path = base + (base.hasSuffix("/") ? "" : "/") + "cyrus-failover-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes a file, creating its directories.
  @discardableResult
  func write(_ relative: String, _ text: String = "", mode: Int = 0o600) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: full)
    return full
  }

  func mkdir(_ relative: String) throws {
    try FileManager.default.createDirectory(
      atPath: path + "/" + relative, withIntermediateDirectories: true)
  }

  func symlink(_ relative: String, to target: String) throws {
    try FileManager.default.createSymbolicLink(
      atPath: path + "/" + relative, withDestinationPath: target)
  }

  func hardlink(_ relative: String, to existing: String) throws {
    try FileManager.default.linkItem(atPath: path + "/" + existing, toPath: path + "/" + relative)
  }

  /// A minimal instance root: etc/imapd.conf naming config dir and one partition.
  func makeInstance(extraConfig: String = "") throws {
    try write(
      "etc/imapd.conf",
      "# test instance\nconfigdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n"
        + "hashimapspool: true\nsievedir: /var/spool/sieve\n" + extraConfig)
    try mkdir("var/lib/cyrus")
    try mkdir("var/spool/cyrus/mail")
  }
}
