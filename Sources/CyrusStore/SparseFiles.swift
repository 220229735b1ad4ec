#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The hole check before a file's content is hashed: a sparse file may claim up to 2^63−1
/// bytes on a few KiB of disk, and hashing its zeros would take centuries. Cyrus never writes
/// holes, so a file with more than ``maxHoleBytes`` of them is not hashed: its entry says why.
enum SparseFiles {
  /// Most bytes of holes a hashed file may have. Unit: bytes.
  static let maxHoleBytes = 1 << 30
  /// Most holes looked at per file (`lseek` calls are two per hole); a file with more is
  /// judged by those.
  static let maxHolesExamined = 1 << 16
  /// `lseek` whence values (Linux `<unistd.h>`, behind `_GNU_SOURCE` so not imported).
  static let seekData: Int32 = 3
  static let seekHole: Int32 = 4

  /// Why the open file `fd` of `size` bytes is not hashed, or `nil` when it may be.
  static func problem(fd: Int32, size: Int) -> String? {
    guard size > maxHoleBytes else { return nil }
    var offset = 0
    var holes = 0
    for _ in 0..<maxHolesExamined {
      let hole = lseek(fd, off_t(offset), seekHole)
      guard hole >= 0, Int(hole) < size else { return nil }
      let data = lseek(fd, hole, seekData)
      let end = data < 0 ? size : min(Int(data), size)
      holes += end - Int(hole)
      if holes > maxHoleBytes {
        return "sparse file: more than \(maxHoleBytes) of its \(size) bytes are holes "
          + "(never written); content not read"
      }
      guard end < size else { return nil }
      offset = end
    }
    return nil
  }
}
