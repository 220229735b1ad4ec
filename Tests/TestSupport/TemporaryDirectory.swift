import Foundation

/// A fresh directory under the system temporary directory for one test, removed (with
/// everything in it) when the test lets go of it.
public final class TemporaryDirectory {
  /// Its absolute path.
  public let path: String

  /// Creates it; `prefix` names the test area in the directory's name, for a person looking at
  /// /tmp while a test runs.
  public init(prefix: String = "cyrus-failover-test") throws {
    path = NSTemporaryDirectory() + prefix + "-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}
