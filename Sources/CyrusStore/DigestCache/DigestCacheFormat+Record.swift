/// One record of a block's payload, encoded and decoded in place: this runs for every file of
/// the spool on every incremental walk, so neither side builds a record value, allocates or
/// names a field by a built string. The layout is in ``DigestCacheFormat``.
extension DigestCacheFormat {
  /// The most bytes a record's fields take besides its path: eight varints of at most 10
  /// bytes, three of at most 5 (area, prefix, rest), the digest.
  static let recordOverheadBytes = 8 * 10 + 3 * 5 + digestBytes

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

  /// Decodes the record at `position` in `payload` (a block that starts at file offset `base`)
  /// and moves `position` past it.
  ///
  /// `path` holds the path of the record before it (the last of the previous block for a
  /// block's first record, which shares no prefix) and becomes this record's. `previousArea`
  /// is that record's area, `nil` before the file's first record: a record that is not after
  /// it in canonical order is damage.
  static func decodeRecord(
    _ payload: UnsafeBufferPointer<UInt8>, at position: inout Int, base: Int,
    path: inout [UInt8], previousArea: Int?, firstInBlock: Bool, areas: Int
  ) throws(DigestCacheDamage) -> RecordFields {
    var input = PayloadScanner(bytes: payload, base: base, position: position)
    let area = try input.count(limit: max(0, areas - 1), "area index")
    let shared = try input.count(limit: firstInBlock ? 0 : path.count, "shared path prefix")
    let restCount = try input.count(limit: pathLimit - shared, "path length")
    let restStart = try input.skip(restCount, "path")
    if let previousArea {
      let inOrder =
        area > previousArea
        || (area == previousArea
          && Self.tailOrder(path, from: shared, payload, restStart, restCount) < 0)
      guard inOrder else {
        throw DigestCacheDamage(offset: base + restStart, detail: "record out of canonical order")
      }
    }
    path.removeSubrange(shared...)
    path.append(
      contentsOf: UnsafeBufferPointer(rebasing: payload[restStart..<(restStart + restCount)]))
    let device = try input.varint("device")
    let inode = try input.varint("inode")
    let size = try input.varint("size")
    let modified = try input.timestamp("mtime seconds", "mtime nanoseconds")
    let changed = try input.timestamp("ctime seconds", "ctime nanoseconds")
    let lastRun = try input.varint("last run")
    let digestStart = try input.skip(digestBytes, "digest")
    position = input.position
    return RecordFields(
      area: area,
      key: FileKey(device: device, inode: inode, size: size, modified: modified, changed: changed),
      lastRun: lastRun, digestStart: digestStart)
  }

  /// The canonical order (``EntryPath/compare(_:_:)``) of `previous` against the path made of
  /// its first `shared` bytes and `count` bytes of `payload` from `start`: only the tails
  /// differ.
  private static func tailOrder(
    _ previous: [UInt8], from shared: Int, _ payload: UnsafeBufferPointer<UInt8>, _ start: Int,
    _ count: Int
  ) -> Int {
    previous.withUnsafeBufferPointer { old in
      let oldCount = old.count - shared
      let common = min(oldCount, count)
      var index = 0
      while index < common, old[shared + index] == payload[start + index] { index += 1 }
      guard index < common else { return oldCount == count ? 0 : (oldCount < count ? -1 : 1) }
      return EntryPath.rank(old[shared + index]) < EntryPath.rank(payload[start + index]) ? -1 : 1
    }
  }

  /// Appends one record to `payload`, its path sharing `shared` bytes with the record before
  /// it in the block (0 for a block's first).
  static func encodeRecord(
    area: Int, path: [UInt8], shared: Int, key: FileKey, lastRun: UInt64, digest: [UInt8],
    into payload: inout [UInt8]
  ) {
    precondition(digest.count == digestBytes, "a cached digest is SHA-256")
    precondition(shared <= path.count, "a shared prefix is part of the path")
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: recordOverheadBytes) { scratch in
      var used = 0
      putVarint(UInt64(area), scratch, &used)
      putVarint(UInt64(shared), scratch, &used)
      putVarint(UInt64(path.count - shared), scratch, &used)
      payload.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<used]))
      path.withUnsafeBufferPointer { bytes in
        payload.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[shared...]))
      }
      used = 0
      putVarint(key.device, scratch, &used)
      putVarint(key.inode, scratch, &used)
      putVarint(key.size, scratch, &used)
      putVarint(zigzag(key.modified.seconds), scratch, &used)
      putVarint(UInt64(max(0, key.modified.nanoseconds)), scratch, &used)
      putVarint(zigzag(key.changed.seconds), scratch, &used)
      putVarint(UInt64(max(0, key.changed.nanoseconds)), scratch, &used)
      putVarint(lastRun, scratch, &used)
      payload.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<used]))
    }
    payload.append(contentsOf: digest)
  }

  /// Signed seconds as an unsigned varint value (zig-zag: small magnitudes stay short).
  static func zigzag(_ value: Int64) -> UInt64 { UInt64(bitPattern: (value << 1) ^ (value >> 63)) }

  /// Writes `value` as an unsigned LEB128 varint at `used` (at most 10 bytes).
  private static func putVarint(
    _ value: UInt64, _ out: UnsafeMutableBufferPointer<UInt8>, _ used: inout Int
  ) {
    var rest = value
    while rest >= 0x80 {
      out[used] = UInt8(truncatingIfNeeded: rest) | 0x80
      used += 1
      rest >>= 7
    }
    out[used] = UInt8(rest)
    used += 1
  }
}

/// Reads a block's payload in place: every read is bounds-checked, and a failure names the
/// field (a static string: nothing is built unless it fails) and the offset in the cache file.
struct PayloadScanner {
  let bytes: UnsafeBufferPointer<UInt8>
  let base: Int
  var position: Int

  func damage(_ detail: String) -> DigestCacheDamage {
    DigestCacheDamage(offset: base + position, detail: detail)
  }

  /// An unsigned LEB128 varint of at most 64 bits.
  mutating func varint(_ field: StaticString) throws(DigestCacheDamage) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while position < bytes.count {
      let byte = bytes[position]
      // The tenth byte holds bit 63 only.
      guard shift < 63 || byte <= 1 else { throw damage("\(field): varint too long") }
      position += 1
      value |= UInt64(byte & 0x7F) << shift
      if byte & 0x80 == 0 { return value }
      shift += 7
    }
    throw damage("\(field): past the end")
  }

  /// A varint that must be at most `limit`.
  mutating func count(limit: Int, _ field: StaticString) throws(DigestCacheDamage) -> Int {
    let value = try varint(field)
    guard value <= UInt64(max(0, limit)) else { throw damage("\(field) \(value) over \(limit)") }
    return Int(value)
  }

  /// Seconds (zig-zag) and nanoseconds.
  mutating func timestamp(_ secondsField: StaticString, _ nanosecondsField: StaticString)
    throws(DigestCacheDamage) -> Timestamp
  {
    let zigzag = try varint(secondsField)
    let seconds = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
    let nanoseconds = try count(limit: 999_999_999, nanosecondsField)
    return Timestamp(seconds: seconds, nanoseconds: Int32(nanoseconds))
  }

  /// Skips `count` bytes; returns where they start.
  mutating func skip(_ count: Int, _ field: StaticString) throws(DigestCacheDamage) -> Int {
    guard count >= 0, bytes.count - position >= count else {
      throw damage("\(field): \(count) bytes past the end")
    }
    defer { position += count }
    return position
  }
}
