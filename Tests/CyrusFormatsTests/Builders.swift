@testable import CyrusFormats

/// Big-endian byte helpers, so builders read like the format tables.
func be32(_ v: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: v >> (24 - 8 * $0)) } }
func be64(_ v: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: v >> (56 - 8 * $0)) } }
func be16(_ v: UInt16) -> [UInt8] { [UInt8(v >> 8), UInt8(v & 0xFF)] }
func ascii(_ s: String) -> [UInt8] { Array(s.utf8) }

/// Builds twoskip files record by record (layout: 3.6.1 lib/cyrusdb_twoskip.c:65-300).
struct TwoskipFile {
  private(set) var bytes = [UInt8](repeating: 0, count: 64)
  /// Offset → (level, offset of the first pointer) for rewriting pointers.
  private var heads: [Int: (level: Int, pointers: Int)] = [:]

  init() { appendDummy() }

  private mutating func appendDummy() {
    _ = append(type: "=", level: 31, next: [])
  }

  /// Appends a record; `next` fills nextloc[0…], the rest are 0. Returns its offset.
  @discardableResult
  mutating func append(
    type: Character, level: Int, key: [UInt8] = [], value: [UInt8] = [], next: [UInt64]
  ) -> Int {
    let offset = bytes.count
    var head: [UInt8] =
      [type.asciiValue ?? 0, UInt8(level)] + be16(UInt16(key.count)) + be32(UInt32(value.count))
    let pointers = offset + head.count
    for i in 0...level { head += be64(i < next.count ? next[i] : 0) }
    var body = key + value
    while body.count % 8 != 0 { body.append(0) }
    bytes += head + be32(CRC32.checksum(head)) + be32(CRC32.checksum(body)) + body
    heads[offset] = (level, pointers)
    return offset
  }

  /// Rewrites nextloc[index] of the record at `offset` and its head CRC, as `rewrite_record` does.
  mutating func setNext(_ offset: Int, _ index: Int, _ target: Int) {
    guard let h = heads[offset] else { preconditionFailure("test builder: no record at \(offset)") }
    bytes.replaceSubrange(
      (h.pointers + 8 * index)..<(h.pointers + 8 * index + 8), with: be64(UInt64(target)))
    let headEnd = h.pointers + 8 * (h.level + 1)
    bytes.replaceSubrange(
      headEnd..<(headEnd + 4), with: be32(CRC32.checksum(bytes[offset..<headEnd])))
  }

  mutating func blank() { bytes += TwoskipRecord.blank }

  /// Writes the header; `currentSize` defaults to the current length.
  mutating func finish(
    numRecords: UInt64, currentSize: Int? = nil, version: UInt32 = 1, flags: UInt32 = 0
  ) {
    var h =
      CyrusDBKind.twoskipMagic + be32(version) + be64(1) + be64(numRecords)
      + be64(UInt64(bytes.count))
    h += be64(UInt64(currentSize ?? bytes.count)) + be32(flags)
    h += be32(CRC32.checksum(h))
    bytes.replaceSubrange(0..<64, with: h)
  }

  /// A freshly repacked file: records in order, each level 1, then a COMMIT.
  static func sorted(_ pairs: [(String, String)]) -> [UInt8] {
    var f = TwoskipFile()
    var previous = 64
    for (k, v) in pairs {
      let o = f.append(type: "+", level: 1, key: ascii(k), value: ascii(v), next: [])
      f.setNext(previous, 0, o)
      previous = o
    }
    f.append(type: "$", level: 0, next: [64])
    f.finish(numRecords: UInt64(pairs.count))
    return f.bytes
  }
}

/// Builds skiplist files (layout: 3.6.1 lib/cyrusdb_skiplist.c:75-140, 329-345).
struct SkiplistFile {
  static let maxLevel = 20
  private(set) var bytes: [UInt8] = []

  init() {
    bytes = [UInt8](repeating: 0, count: 48)
    bytes +=
      be32(257) + be32(0) + be32(0) + [UInt8](repeating: 0, count: 4 * Self.maxLevel)
      + be32(0xFFFF_FFFF)
  }

  static func pad4(_ b: [UInt8]) -> [UInt8] {
    b + [UInt8](repeating: 0, count: (4 - b.count % 4) % 4)
  }

  /// Appends an INORDER (1) or ADD (2) record with `level` zero pointers. Returns its offset.
  @discardableResult
  mutating func keyed(_ type: UInt32, _ key: String, _ value: String, level: Int = 1) -> Int {
    let offset = bytes.count
    bytes += be32(type) + be32(UInt32(key.utf8.count)) + Self.pad4(Array(key.utf8))
    bytes += be32(UInt32(value.utf8.count)) + Self.pad4(Array(value.utf8))
    bytes += [UInt8](repeating: 0, count: 4 * level) + be32(0xFFFF_FFFF)
    return offset
  }
  mutating func inorder(_ key: String, _ value: String) -> Int { keyed(1, key, value) }
  @discardableResult mutating func add(_ key: String, _ value: String) -> Int {
    keyed(2, key, value)
  }
  mutating func delete(_ target: Int) { bytes += be32(4) + be32(UInt32(target)) }
  mutating func commit() { bytes += be32(255) }

  /// Writes the header; `logStart` defaults to the current length (call before the log).
  mutating func finish(listSize: UInt32, logStart: Int, maxLevel: UInt32 = 20, version: UInt32 = 1)
  {
    let h =
      CyrusDBKind.skiplistMagic + be32(version) + be32(2) + be32(maxLevel) + be32(1)
      + be32(listSize) + be32(UInt32(logStart)) + be32(0)
    bytes.replaceSubrange(0..<48, with: h)
  }

  static func checkpoint(_ pairs: [(String, String)]) -> [UInt8] {
    var f = SkiplistFile()
    for (k, v) in pairs { _ = f.inorder(k, v) }
    f.finish(listSize: UInt32(pairs.count), logStart: f.bytes.count)
    return f.bytes
  }
}

/// A flat file from `key TAB value` pairs, encoded as 2.5+ writes them.
func flatFile(_ pairs: [([UInt8], [UInt8])], escaping: Bool = true) -> [UInt8] {
  pairs.flatMap { k, v in
    (escaping ? FlatReader<[UInt8]>.encode(k) : k) + [0x09]
      + (escaping ? FlatReader<[UInt8]>.encode(v) : v) + [0x0A]
  }
}

/// Key/value strings of records, for compact expectations.
func pairs(_ records: [CyrusDBRecord]) -> [[String]] {
  records.map {
    [String(decoding: $0.key, as: UTF8.self), String(decoding: $0.value, as: UTF8.self)]
  }
}

/// The CyrusDBError thrown by `body`, or nil.
func dbError(_ body: () throws -> Void) -> CyrusDBError? {
  do {
    try body()
    return nil
  } catch let e as CyrusDBError {
    return e
  } catch {
    return nil
  }
}
