/// One record of a block's payload, encoded and decoded in place: this runs for every file of
/// the spool on every incremental walk, so neither side builds a record value, allocates or
/// names a field by a built string. The layout is in ``DigestCacheFormat``: a fixed part of
/// ``recordFixedBytes`` whose fields sit at fixed offsets (big-endian), then the path's rest.
extension DigestCacheFormat {
  /// Bytes of a record before its path's rest: area, shared prefix and rest length (u16 each),
  /// device, inode, size (u64), mtime seconds (i64) and nanoseconds (u32), ctime likewise, last
  /// run (u64), digest.
  static let recordFixedBytes = 3 * 2 + 3 * 8 + 2 * (8 + 4) + 8 + digestBytes

  /// Field offsets in a record's fixed part.
  private enum Offset {
    static let area = 0
    static let shared = 2
    static let rest = 4
    static let device = 6
    static let inode = 14
    static let size = 22
    static let modifiedSeconds = 30
    static let modifiedNanoseconds = 38
    static let changedSeconds = 42
    static let changedNanoseconds = 50
    static let lastRun = 54
    static let digest = 62
  }

  /// Most areas a cache holds records of: an area index is a u16.
  static let areaLimit = Int(UInt16.max)

  /// A decoded record's fields but its path, which goes to the reader's own buffer.
  struct RecordFields {
    /// Index of its area.
    var area: Int
    /// The file's key when it was read.
    var key: FileKey
    /// The run that last read it.
    var lastRun: UInt64
    /// Where its digest starts in the payload.
    var digestStart: Int
  }

  /// Whether a record of `area` and `path` can be written: the fields that hold them are u16.
  static func fits(area: Int, path: [UInt8]) -> Bool {
    area >= 0 && area < areaLimit && path.count <= pathLimit
  }

  /// Decodes the record at `position` in `payload` (a block that starts at file offset `base`)
  /// and moves `position` past it.
  ///
  /// `path` holds the path of the record before it (the last of the previous block for a
  /// block's first record, which shares no prefix) and becomes this record's. `previousArea`
  /// is that record's area, `nil` before the file's first record: a record that is not after
  /// it in canonical order is damage.
  static func decodeRecord(
    _ payload: UnsafeBufferPointer<UInt8>, at position: inout Int, base: Int,
    path: PathBuffer, previousArea: Int?, firstInBlock: Bool, areas: Int
  ) throws(DigestCacheDamage) -> RecordFields {
    let start = position
    guard payload.count - start >= recordFixedBytes, let bytes = payload.baseAddress else {
      throw DigestCacheDamage(offset: base + start, detail: "record: past the end")
    }
    let record = UnsafeRawPointer(bytes + start)
    func damage(_ offset: Int, _ detail: String) -> DigestCacheDamage {
      DigestCacheDamage(offset: base + start + offset, detail: detail)
    }
    let area = Int(u16(record, Offset.area))
    guard area < areas else { throw damage(Offset.area, "area index \(area) over \(areas - 1)") }
    let shared = Int(u16(record, Offset.shared))
    let sharedLimit = firstInBlock ? 0 : path.count
    guard shared <= sharedLimit else {
      throw damage(Offset.shared, "shared path prefix \(shared) over \(sharedLimit)")
    }
    let restCount = Int(u16(record, Offset.rest))
    guard restCount <= pathLimit - shared else {
      throw damage(Offset.rest, "path length \(restCount) over \(pathLimit - shared)")
    }
    let restStart = start + recordFixedBytes
    guard payload.count - restStart >= restCount else {
      throw damage(recordFixedBytes, "path: \(restCount) bytes past the end")
    }
    let modifiedNanoseconds = u32(record, Offset.modifiedNanoseconds)
    guard modifiedNanoseconds <= maxNanoseconds else {
      throw damage(Offset.modifiedNanoseconds, "mtime nanoseconds \(modifiedNanoseconds)")
    }
    let changedNanoseconds = u32(record, Offset.changedNanoseconds)
    guard changedNanoseconds <= maxNanoseconds else {
      throw damage(Offset.changedNanoseconds, "ctime nanoseconds \(changedNanoseconds)")
    }
    if let previousArea {
      let inOrder =
        area > previousArea
        || (area == previousArea
          && Self.tailOrder(path, from: shared, payload, restStart, restCount) < 0)
      guard inOrder else {
        throw DigestCacheDamage(offset: base + restStart, detail: "record out of canonical order")
      }
    }
    path.replace(
      from: shared, with: UnsafeRawBufferPointer(start: bytes + restStart, count: restCount))
    position = restStart + restCount
    return RecordFields(
      area: area,
      key: FileKey(
        device: u64(record, Offset.device), inode: u64(record, Offset.inode),
        size: u64(record, Offset.size),
        modified: Timestamp(
          seconds: Int64(bitPattern: u64(record, Offset.modifiedSeconds)),
          nanoseconds: Int32(modifiedNanoseconds)),
        changed: Timestamp(
          seconds: Int64(bitPattern: u64(record, Offset.changedSeconds)),
          nanoseconds: Int32(changedNanoseconds))),
      lastRun: u64(record, Offset.lastRun), digestStart: start + Offset.digest)
  }

  /// The largest nanoseconds field.
  private static let maxNanoseconds: UInt32 = 999_999_999

  /// The canonical order (``EntryPath/compare(_:_:)``) of `previous` against the path made of
  /// its first `shared` bytes and `count` bytes of `payload` from `start`: only the tails
  /// differ.
  private static func tailOrder(
    _ previous: PathBuffer, from shared: Int, _ payload: UnsafeBufferPointer<UInt8>, _ start: Int,
    _ count: Int
  ) -> Int {
    let old = previous.bytes
    return EntryPath.compare(
      UnsafeRawBufferPointer(rebasing: old[shared...]),
      UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: payload[start..<(start + count)])))
  }

  /// Appends one record to `payload`, its path sharing `shared` bytes with the record before
  /// it in the block (0 for a block's first). The caller has checked that it ``fits(area:path:)``.
  static func encodeRecord(
    area: Int, path: [UInt8], shared: Int, key: FileKey, lastRun: UInt64, digest: [UInt8],
    into payload: inout [UInt8]
  ) {
    precondition(digest.count == digestBytes, "a cached digest is SHA-256")
    precondition(shared <= path.count, "a shared prefix is part of the path")
    precondition(fits(area: area, path: path), "a record's area and path fit their fields")
    withUnsafeTemporaryAllocation(byteCount: recordFixedBytes, alignment: 8) { scratch in
      scratch.storeBytes(of: UInt16(area).bigEndian, toByteOffset: Offset.area, as: UInt16.self)
      scratch.storeBytes(
        of: UInt16(shared).bigEndian, toByteOffset: Offset.shared, as: UInt16.self)
      scratch.storeBytes(
        of: UInt16(path.count - shared).bigEndian, toByteOffset: Offset.rest, as: UInt16.self)
      scratch.storeBytes(of: key.device.bigEndian, toByteOffset: Offset.device, as: UInt64.self)
      scratch.storeBytes(of: key.inode.bigEndian, toByteOffset: Offset.inode, as: UInt64.self)
      scratch.storeBytes(of: key.size.bigEndian, toByteOffset: Offset.size, as: UInt64.self)
      scratch.storeBytes(
        of: key.modified.seconds.bigEndian, toByteOffset: Offset.modifiedSeconds, as: Int64.self)
      scratch.storeBytes(
        of: nanoseconds(key.modified).bigEndian, toByteOffset: Offset.modifiedNanoseconds,
        as: UInt32.self)
      scratch.storeBytes(
        of: key.changed.seconds.bigEndian, toByteOffset: Offset.changedSeconds, as: Int64.self)
      scratch.storeBytes(
        of: nanoseconds(key.changed).bigEndian, toByteOffset: Offset.changedNanoseconds,
        as: UInt32.self)
      scratch.storeBytes(of: lastRun.bigEndian, toByteOffset: Offset.lastRun, as: UInt64.self)
      digest.withUnsafeBytes { source in
        UnsafeMutableRawBufferPointer(rebasing: scratch[Offset.digest...]).copyMemory(
          from: source)
      }
      payload.append(contentsOf: scratch.bindMemory(to: UInt8.self))
    }
    path.withUnsafeBufferPointer { bytes in
      payload.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[shared...]))
    }
  }

  /// A timestamp's nanoseconds as stored (a key from `stat` is never outside 0...999,999,999).
  private static func nanoseconds(_ time: Timestamp) -> UInt32 {
    UInt32(min(max(0, Int64(time.nanoseconds)), Int64(maxNanoseconds)))
  }

  private static func u16(_ record: UnsafeRawPointer, _ offset: Int) -> UInt16 {
    UInt16(bigEndian: record.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
  }

  private static func u32(_ record: UnsafeRawPointer, _ offset: Int) -> UInt32 {
    UInt32(bigEndian: record.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
  }

  private static func u64(_ record: UnsafeRawPointer, _ offset: Int) -> UInt64 {
    UInt64(bigEndian: record.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
  }
}
