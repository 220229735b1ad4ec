#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// What identifies one state of a file's content without reading it: device, inode, size, and
/// the modification and change times to the nanosecond (restic's and borg's files cache use the
/// same fields). A write changes the mtime and the ctime; setting the mtime back (`touch -d`,
/// `rsync -t`) changes the ctime again, which no one but the kernel sets; a file replaced by
/// another has another inode.
public struct FileKey: Sendable, Equatable {
  /// `st_dev`.
  public var device: UInt64
  /// `st_ino`.
  public var inode: UInt64
  /// `st_size`.
  public var size: UInt64
  /// `st_mtim`.
  public var modified: Timestamp
  /// `st_ctim`.
  public var changed: Timestamp

  /// Makes a key.
  public init(
    device: UInt64, inode: UInt64, size: UInt64, modified: Timestamp, changed: Timestamp
  ) {
    self.device = device
    self.inode = inode
    self.size = size
    self.modified = modified
    self.changed = changed
  }

  /// The key of a file as `fstatat` saw it.
  init(_ info: stat) {
    self.init(
      device: UInt64(info.st_dev), inode: UInt64(info.st_ino),
      size: UInt64(max(0, info.st_size)),
      modified: Timestamp(
        seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int32(info.st_mtim.tv_nsec)),
      changed: Timestamp(
        seconds: Int64(info.st_ctim.tv_sec), nanoseconds: Int32(info.st_ctim.tv_nsec)))
  }
}
