/// The path of the digest cache record last read or written, changed in place from the byte
/// its successor's path first differs (records share their directory's prefix): one buffer of
/// ``DigestCacheFormat/pathLimit`` bytes per reader or writer, allocated once, so that no record
/// grows, shrinks or checks the uniqueness of an array.
final class PathBuffer {
  private let storage: UnsafeMutableRawBufferPointer
  /// Bytes in use.
  private(set) var count = 0

  init() {
    storage = .allocate(byteCount: DigestCacheFormat.pathLimit, alignment: 8)
  }

  deinit { storage.deallocate() }

  /// The path's bytes (valid until the next change).
  var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: storage[0..<count]) }

  /// The path as an array (for tools and tests).
  var array: [UInt8] { Array(bytes) }

  /// Byte `index` of the path.
  subscript(index: Int) -> UInt8 {
    precondition(index < count, "inside the path")
    return storage[index]
  }

  /// Keeps the first `shared` bytes and puts `rest` after them.
  func replace(from shared: Int, with rest: UnsafeRawBufferPointer) {
    precondition(shared <= count, "a shared prefix is part of the path")
    precondition(rest.count <= storage.count - shared, "a record's path fits its fields")
    UnsafeMutableRawBufferPointer(rebasing: storage[shared..<(shared + rest.count)]).copyMemory(
      from: rest)
    count = shared + rest.count
  }
}
