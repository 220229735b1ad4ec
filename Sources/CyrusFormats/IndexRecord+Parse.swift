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
    guard bytes.count >= version.recordSize else {
      throw MailboxFormatError(
        .truncated, offset: offset + bytes.count,
        detail: "record \(number): \(bytes.count) of \(version.recordSize) bytes")
    }
    let minor = version.minor
    var c = ByteCursor(bytes, baseOffset: offset)
    let uid = try c.readUInt32()
    let internalDate = try c.readUInt32()
    let sentDate = try c.readUInt32()
    let size = try c.readUInt32()
    let headerSize = try c.readUInt32()
    let field20 = try c.readUInt32()
    let field24 = try c.readUInt32()
    let lastUpdated = try c.readUInt32()
    let flags = try c.readUInt32()
    let userFlags = [
      try c.readUInt32(), try c.readUInt32(), try c.readUInt32(), try c.readUInt32(),
    ]
    let field52 = try c.readUInt32()
    let field56 = try c.readUInt32()
    var record = IndexRecord(
      recordNumber: number, offset: offset, minorVersion: minor, uid: uid,
      internalDate: internalDate, sentDate: sentDate, size: size, headerSize: headerSize,
      contentOffset: minor < 12 ? field20 : nil, gmtime: minor >= 12 ? field20 : nil,
      cacheOffset: UInt64(field24) | (UInt64(field56 & 0xFFFF_0000) << 16),
      lastUpdated: lastUpdated, systemFlags: SystemFlags(rawValue: flags & 0xFFFF),
      internalFlags: InternalFlags(rawValue: flags & 0xFFFF_0000), userFlags: userFlags,
      contentLines: minor < 15 ? field52 : nil, saveDate: minor >= 15 ? field52 : nil,
      cacheVersion: field56 & 0xFFFF, guid: .zero, modseq: 0, cid: 0, createdModseq: 0,
      cacheCRC: nil, checksum: .absent)
    // Offset 60 on: 7–9 hold a 12-byte message UUID (not read), 8/9 a modseq at 72.
    if minor == 8 || minor == 9 {
      try c.skip(72 - c.position)
      record.modseq = try c.readUInt64()
    }
    guard minor >= 10 else { return record }
    record.guid = MessageGUID(try c.readBytes(MessageGUID.size))  // 60
    record.modseq = try c.readUInt64()  // 80
    guard version.hasChecksums else { return record }
    if minor >= 13 { record.cid = try c.readUInt64() }  // 88
    if minor >= 16 { record.createdModseq = try c.readUInt64() }  // 96
    record.cacheCRC = try c.readUInt32()  // 88 / 96 / 104
    let crcOffset = version.recordSize - 4
    precondition(c.position == crcOffset, "record fields of \(version) end at its CRC")
    let stored = try c.readUInt32()
    let computed = CRC32.checksum(bytes[0..<crcOffset])
    record.checksum = stored == computed ? .valid : .mismatch(stored: stored, computed: computed)
    return record
  }
}
