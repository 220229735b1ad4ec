/// A source of bytes that can be read at any offset: a file read with `pread`, or an array.
///
/// The parsers in this module never open files. The store module conforms its file type to this
/// protocol; tests use the `[UInt8]` conformance below.
public protocol RandomAccessBytes {
  /// The total number of bytes in the source.
  var count: Int { get }

  /// Returns exactly `count` bytes starting at `offset`, or throws.
  ///
  /// Readers check every range against ``count`` before calling, so a conforming type may treat
  /// an out-of-range request (for example, a file that shrank while being read) as an error.
  func bytes(at offset: Int, count: Int) throws -> [UInt8]

  /// The first offset at or after `offset` that may hold data: past a hole of a sparse file
  /// (`lseek(SEEK_DATA)`), ``count`` when only holes follow. Readers use it to skip runs of
  /// zero bytes that were never written, so their work follows the bytes actually stored, not
  /// the apparent size. Sources without holes return `offset`.
  func dataOffset(atOrAfter offset: Int) -> Int
}

extension RandomAccessBytes {
  public func dataOffset(atOrAfter offset: Int) -> Int { offset }
}

extension Array: RandomAccessBytes where Element == UInt8 {
  public func bytes(at offset: Int, count: Int) throws -> [UInt8] {
    guard offset >= 0, count >= 0, offset <= self.count, count <= self.count - offset else {
      throw CyrusDBError(
        .truncated, offset: offset,
        detail: "read of \(count) bytes past the end (size \(self.count))")
    }
    return Array(self[offset..<(offset + count)])
  }
}

/// A read-ahead window over a ``RandomAccessBytes`` source, so a reader that walks records in
/// file order issues one read per window instead of two per record.
struct ByteWindow<Source: RandomAccessBytes> {
  /// Bytes fetched per read when the caller asks for less. Unit: bytes.
  static var windowSize: Int { 64 * 1024 }

  let source: Source
  private var start = 0
  private var buffer: [UInt8] = []

  init(_ source: Source) { self.source = source }

  var count: Int { source.count }

  /// Returns `count` bytes at `offset`, throwing ``CyrusDBError/Kind/truncated`` when the range
  /// does not lie inside the source.
  mutating func bytes(at offset: Int, count: Int) throws -> [UInt8] {
    try check(offset, count)
    if count >= Self.windowSize, !holds(offset, count) {
      return try source.bytes(at: offset, count: count)
    }
    if !holds(offset, count) { try fill(at: offset, count: count) }
    let from = offset - start
    return Array(buffer[from..<(from + count)])
  }

  /// Calls `body` with `count` bytes at `offset`, read from the window itself when they fit in
  /// it (no copy for each record of a file read record by record); throws as
  /// ``bytes(at:count:)`` does.
  mutating func withBytes<Result>(
    at offset: Int, count: Int, _ body: (UnsafeRawBufferPointer) throws -> Result
  ) throws -> Result {
    try check(offset, count)
    if count >= Self.windowSize, !holds(offset, count) {
      return try source.bytes(at: offset, count: count).withUnsafeBytes { try body($0) }
    }
    if !holds(offset, count) { try fill(at: offset, count: count) }
    let from = offset - start
    return try buffer.withUnsafeBytes { all in
      try body(UnsafeRawBufferPointer(rebasing: all[from..<(from + count)]))
    }
  }

  /// Throws unless `count` bytes at `offset` lie inside the source.
  private func check(_ offset: Int, _ count: Int) throws {
    guard offset >= 0, count >= 0, offset <= source.count, count <= source.count - offset else {
      throw CyrusDBError(
        .truncated, offset: offset,
        detail: "need \(count) bytes, file has \(max(0, source.count - max(offset, 0))) left")
    }
  }

  /// Whether the window holds `count` bytes at `offset`.
  private func holds(_ offset: Int, _ count: Int) -> Bool {
    offset >= start && offset - start <= buffer.count && count <= buffer.count - (offset - start)
  }

  /// Reads the window at `offset` (the range checked already): `count` bytes must come back.
  private mutating func fill(at offset: Int, count: Int) throws {
    let length = min(Self.windowSize, source.count - offset)
    buffer = try source.bytes(at: offset, count: length)
    start = offset
    guard buffer.count >= count else {
      throw CyrusDBError(.truncated, offset: offset, detail: "short read of \(buffer.count) bytes")
    }
  }

  /// The first offset at or after `start`, in steps of 4 bytes, whose 4-byte word is not zero;
  /// or the last such step with fewer than 4 bytes left. Holes of a sparse source are skipped
  /// whole (``RandomAccessBytes/dataOffset(atOrAfter:)``) and stored zeros are scanned a window
  /// at a time, so the work follows the bytes stored, not the run's apparent length.
  mutating func endOfZeroWords(from start: Int) throws -> Int {
    var offset = start
    while source.count - offset >= 4 {
      let data = source.dataOffset(atOrAfter: offset)
      if data > offset {
        offset += (min(data, source.count) - offset) / 4 * 4
        continue
      }
      let length = min(Self.windowSize, source.count - offset) / 4 * 4
      let chunk = try source.bytes(at: offset, count: length)
      var index = 0
      while index < length {
        if chunk[index] != 0 || chunk[index + 1] != 0 || chunk[index + 2] != 0
          || chunk[index + 3] != 0
        {
          return offset + index
        }
        index += 4
      }
      offset += length
    }
    return offset
  }

  /// The big-endian u32 at `offset`.
  mutating func uint32(at offset: Int) throws -> UInt32 {
    var c = ByteCursor(try bytes(at: offset, count: 4), baseOffset: offset)
    return try c.readUInt32()
  }
}
