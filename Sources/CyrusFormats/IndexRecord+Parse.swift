extension IndexRecord {
  /// Decodes one record of `version` from exactly `version.recordSize` bytes.
  ///
  /// `offset` is where the record lies in the file and `number` its 1-based position. A CRC
  /// mismatch is not thrown: the record comes back with ``checksum`` `.mismatch`, so the caller
  /// can report it and go on. Throws only when `bytes` is shorter than the record
  /// (``MailboxFormatError/Kind/truncated``).
  public static func parse(
    _ bytes: [UInt8], version: IndexVersion, number: UInt32, offset: Int
  ) throws -> IndexRecord {
    try bytes.withUnsafeBytes { try parse($0, version: version, number: number, offset: offset) }
  }

  /// Decodes one record from `bytes` as ``parse(_:version:number:offset:)-([UInt8],_,_,_)``
  /// does, without copying them (the walk parses every record of every mailbox).
  public static func parse(
    _ bytes: UnsafeRawBufferPointer, version: IndexVersion, number: UInt32, offset: Int
  ) throws -> IndexRecord {
    guard bytes.count >= version.recordSize else {
      throw MailboxFormatError(
        .truncated, offset: offset + bytes.count,
        detail: "record \(number): \(bytes.count) of \(version.recordSize) bytes")
    }
    /// The big-endian word of `size` bytes at `at`, bounds-checked like ``ByteCursor``.
    func word(_ at: Int, _ size: Int) throws -> UInt64 {
      guard at <= bytes.count - size else {
        throw CyrusDBError(
          .truncated, offset: offset + at, detail: "need \(size) bytes, \(bytes.count - at) left")
      }
      switch size {
      case 8: return UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self))
      default:
        precondition(size == 4, "index words are 4 or 8 bytes")
        let value = UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self))
        return UInt64(value)
      }
    }
    func u32(_ at: Int) throws -> UInt32 { UInt32(truncatingIfNeeded: try word(at, 4)) }
    let minor = version.minor
    let field20 = try u32(20)
    let field24 = try u32(24)
    let flags = try u32(32)
    let field52 = try u32(52)
    let field56 = try u32(56)
    var userFlags = UserFlagWords()
    for index in 0..<UserFlagWords.count { userFlags[index] = try u32(36 + 4 * index) }
    var record = IndexRecord(
      recordNumber: number, offset: offset, minorVersion: minor, uid: try u32(0),
      internalDate: try u32(4), sentDate: try u32(8), size: try u32(12), headerSize: try u32(16),
      contentOffset: minor < 12 ? field20 : nil, gmtime: minor >= 12 ? field20 : nil,
      cacheOffset: UInt64(field24) | (UInt64(field56 & 0xFFFF_0000) << 16),
      lastUpdated: try u32(28), systemFlags: SystemFlags(rawValue: flags & 0xFFFF),
      internalFlags: InternalFlags(rawValue: flags & 0xFFFF_0000), userFlagWords: userFlags,
      contentLines: minor < 15 ? field52 : nil, saveDate: minor >= 15 ? field52 : nil,
      cacheVersion: field56 & 0xFFFF, guid: .zero, modseq: 0, cid: 0, createdModseq: 0,
      cacheCRC: nil, checksum: .absent)
    // Offset 60 on: 7–9 hold a 12-byte message UUID (not read), 8/9 a modseq at 72.
    if minor == 8 || minor == 9 {
      record.modseq = try word(72, 8)
    }
    guard minor >= 10 else { return record }
    guard bytes.count >= 80 else {
      throw CyrusDBError(
        .truncated, offset: offset + 60, detail: "need 20 bytes, \(bytes.count - 60) left")
    }
    record.guid = MessageGUID(UnsafeRawBufferPointer(rebasing: bytes[60..<80]))
    record.modseq = try word(80, 8)
    guard version.hasChecksums else { return record }
    var position = 88
    if minor >= 13 {
      record.cid = try word(position, 8)
      position += 8
    }
    if minor >= 16 {
      record.createdModseq = try word(position, 8)
      position += 8
    }
    record.cacheCRC = try u32(position)  // 88 / 96 / 104
    position += 4
    let crcOffset = version.recordSize - 4
    precondition(position == crcOffset, "record fields of \(version) end at its CRC")
    let stored = try u32(crcOffset)
    let computed = UnsafeRawBufferPointer(rebasing: bytes[0..<crcOffset]).withMemoryRebound(
      to: UInt8.self
    ) { CRC32.checksum($0) }
    record.checksum = stored == computed ? .valid : .mismatch(stored: stored, computed: computed)
    return record
  }
}
