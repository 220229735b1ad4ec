/// Reads a flat cyrusdb file: sorted lines `key TAB data LF`, no header
/// (3.6.1 lib/cyrusdb_flat.c:85-160 `encode`/`decode`, :459 `getentry`;
/// 2.2.13 cyrus/lib/cyrusdb_flat.c:300-620).
///
/// The key ends at the first TAB and the data at the next LF, so data may hold TABs (2.x
/// mailboxes.db ACLs do). From 2.5.0 on, keys and data are escaped: NUL, TAB, CR and LF are
/// written as `0xFF, 0x80|c` and 0xFF as `0xFF 0xFF` (``Escaping/binarySafe``); 2.2–2.4 files
/// are raw (``Escaping/none``). An empty file is a valid empty database.
///
/// **Fatal** (thrown): a line without TAB, a last line without LF (``CyrusDBError/Kind/truncated``),
/// a line longer than ``maxLineLength``.
/// **Non-fatal** (in the summary): keys not strictly increasing in Cyrus's mailbox order
/// (`bsearch_ncompare_mbox` on the stored bytes, which is how Cyrus's binary search sees the
/// file); an invalid 0xFF escape (decoded as Cyrus does: the escape byte with bit 7 cleared, a
/// final lone 0xFF dropped); a raw NUL (Cyrus's `strchr` would stop there).
public struct FlatReader<Source: RandomAccessBytes>: CyrusDBReader {
  public enum Escaping: String, Hashable, Sendable {
    /// Cyrus 2.5.0 and later.
    case binarySafe
    /// Cyrus 2.2 – 2.4: bytes stored as they are.
    case none
  }

  /// Longest line accepted. Unit: bytes (escaping can double each byte).
  public static var maxLineLength: Int {
    2 * (CyrusDBLimits.maxKeyLength + CyrusDBLimits.maxValueLength) + 2
  }
  static var chunkSize: Int { 64 * 1024 }
  static var escape: UInt8 { 0xFF }  // cyrusdb_flat.c ESCAPE

  public let source: Source
  public let escaping: Escaping
  public let keyOrder: CyrusKeyOrder

  public init(
    _ source: Source, escaping: Escaping = .binarySafe, keyOrder: CyrusKeyOrder = .mailbox
  ) {
    self.source = source
    self.escaping = escaping
    self.keyOrder = keyOrder
  }

  @discardableResult
  public func forEachRecord(_ body: (CyrusDBRecord) throws -> Void) throws -> CyrusDBScanSummary {
    var summary = CyrusDBScanSummary()
    var previousKey: [UInt8]? = nil
    var line: [UInt8] = []
    var lineStart = 0
    var offset = 0
    while offset < source.count {
      let chunk = try source.bytes(at: offset, count: min(Self.chunkSize, source.count - offset))
      var from = 0
      while from < chunk.count {
        guard let lf = chunk[from...].firstIndex(of: 0x0A) else {
          line += chunk[from...]
          break
        }
        line += chunk[from..<lf]
        let record = try parse(line, at: lineStart, summary: &summary)
        if let previousKey, keyOrder.compare(previousKey, record.storedKey) >= 0 {
          summary.warn(
            CyrusDBError(
              .outOfOrder, offset: lineStart,
              detail:
                "key \(printable(record.storedKey)) does not sort after \(printable(previousKey))"))
        }
        previousKey = record.storedKey
        try body(record.record)
        summary.recordCount += 1
        line.removeAll(keepingCapacity: true)
        from = lf + 1
        lineStart = offset + from
      }
      guard line.count <= Self.maxLineLength else {
        throw CyrusDBError(
          .lengthLimit, offset: lineStart, detail: "line longer than \(Self.maxLineLength) bytes")
      }
      offset += chunk.count
    }
    if !line.isEmpty {
      throw CyrusDBError(
        .truncated, offset: lineStart, detail: "last line (\(line.count) bytes) has no LF")
    }
    return summary
  }

  private func parse(_ line: [UInt8], at offset: Int, summary: inout CyrusDBScanSummary) throws
    -> (record: CyrusDBRecord, storedKey: [UInt8])
  {
    guard let tab = line.firstIndex(of: 0x09) else {
      throw CyrusDBError(.malformedLine, offset: offset, detail: "line without TAB")
    }
    if let nul = line.firstIndex(of: 0) {
      summary.warn(CyrusDBError(.malformedLine, offset: offset + nul, detail: "raw NUL byte"))
    }
    let storedKey = Array(line[..<tab])
    let storedValue = Array(line[(tab + 1)...])
    guard escaping == .binarySafe else {
      return (CyrusDBRecord(key: storedKey, value: storedValue, offset: offset), storedKey)
    }
    let key = decode(storedKey, at: offset, summary: &summary)
    let value = decode(storedValue, at: offset + tab + 1, summary: &summary)
    return (CyrusDBRecord(key: key, value: value, offset: offset), storedKey)
  }

  /// `decode` of cyrusdb_flat.c, noting escapes the encoder never writes.
  private func decode(_ bytes: [UInt8], at offset: Int, summary: inout CyrusDBScanSummary)
    -> [UInt8]
  {
    guard bytes.contains(Self.escape) else { return bytes }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var i = 0
    while i < bytes.count {
      let b = bytes[i]
      i += 1
      guard b == Self.escape else {
        out.append(b)
        continue
      }
      guard i < bytes.count else {
        summary.warn(
          CyrusDBError(.malformedLine, offset: offset + i - 1, detail: "lone 0xFF at end of field"))
        break
      }
      let e = bytes[i]
      i += 1
      if ![0x80, 0x89, 0x8D, 0x8A, 0xFF].contains(e) {
        summary.warn(
          CyrusDBError(.malformedLine, offset: offset + i - 2, detail: "escape 0xFF \(hex(e))"))
      }
      out.append(e == Self.escape ? e : e & 0x7F)
    }
    return out
  }
}

extension FlatReader {
  /// Encodes a key or value as Cyrus 2.5+ writes it (`encode` of cyrusdb_flat.c).
  public static func encode(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    for b in bytes {
      switch b {
      case 0x00, 0x09, 0x0D, 0x0A: out += [escape, 0x80 | b]
      case escape: out += [escape, escape]
      default: out.append(b)
      }
    }
    return out
  }
}

extension FlatReader: Sendable where Source: Sendable {}
