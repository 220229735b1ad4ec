import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What a hostile or damaged tree holds, made cheaply: FIFOs, sparse files of any apparent size.
extension TemporaryTree {
  /// Makes a FIFO, creating its directories. A guard opens it for writing once, after
  /// `unblockAfter` seconds, so that a reader that wrongly blocked on it fails instead of
  /// hanging the suite (the guard never decides a test's outcome).
  @discardableResult
  func fifo(_ relative: String, unblockAfter seconds: Double = 30) throws -> String {
    let full = path + "/" + relative
    try FileManager.default.createDirectory(
      atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    guard mkfifo(full, 0o600) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    let guardThread = Thread {
      Thread.sleep(forTimeInterval: seconds)
      let fd = open(full, O_WRONLY | O_NONBLOCK)
      if fd >= 0 { close(fd) }
    }
    guardThread.start()
    return full
  }

  /// Makes `relative` a sparse file of `size` bytes holding `head` at its start and `tail`
  /// at `size - tail.count`: everything between is a hole.
  @discardableResult
  func sparse(_ relative: String, size: Int64, head: [UInt8] = [], tail: [UInt8] = []) throws
    -> String
  {
    let full = try write(relative)
    let fd = open(full, O_WRONLY)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    guard ftruncate(fd, off_t(size)) == 0 else {
      throw POSIXError(.init(rawValue: errno) ?? .EIO)
    }
    if !head.isEmpty { _ = head.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) } }
    if !tail.isEmpty {
      _ = tail.withUnsafeBytes {
        pwrite(fd, $0.baseAddress, $0.count, off_t(size) - off_t(tail.count))
      }
    }
    return full
  }
}
