import Foundation

/// Damage a copy can carry without rsync's quick check seeing it: one byte of a file changed,
/// its size, mtime and mode kept — bit rot, or a change made behind Cyrus's back.
public enum BitRot {
  /// Flips bit 5 of the middle byte of the file at `path`, keeping its size, mtime and mode.
  public static func flipMiddleByte(of path: String) throws {
    let before = try FileManager.default.attributesOfItem(atPath: path)
    var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    guard !bytes.isEmpty else { throw ProcessFailure(description: "\(path) is empty") }
    bytes[bytes.count / 2] ^= 0x20
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    try FileManager.default.setAttributes(
      [
        .modificationDate: before[.modificationDate] as Any,
        .posixPermissions: before[.posixPermissions] as Any,
      ], ofItemAtPath: path)
  }
}
