extension IndexHeader {
  /// Smallest prefix from which the minor version can be read. Unit: bytes.
  public static let versionPrefixSize = 12  // OFFSET_MINOR_VERSION + 4

  /// Parses an index header from the first bytes of a `cyrus.index`.
  ///
  /// `bytes` must hold at least the header size of its minor version (at most 160 bytes; more
  /// is ignored). Throws ``MailboxFormatError``:
  /// - `truncated`: fewer bytes than the version prefix or than the version's header;
  /// - `unsupportedVersion`: minor ≤ 5, 11 or > 17;
  /// - `badRecordSize`: `record_size` differs from the version's size;
  /// - `badHeader`: `start_offset` inside the header.
  ///
  /// A header CRC mismatch is not thrown: it is ``checksum`` `.mismatch`, so a caller can
  /// still read the records and report the damage.
  public static func parse(_ bytes: [UInt8]) throws -> IndexHeader {
    var c = ByteCursor(bytes)
    guard bytes.count >= versionPrefixSize else {
      throw MailboxFormatError(
        .truncated, offset: bytes.count,
        detail: "\(bytes.count) bytes, the minor version ends at byte \(versionPrefixSize)")
    }
    let generation = try c.readUInt32()
    let format = try c.readUInt32()
    let minor = try c.readUInt32()
    guard let version = IndexVersion(minor: minor) else {
      let why =
        minor <= 5
        ? "minor \(minor) predates Cyrus 2.2.2; open it with Cyrus 2.2 or later to upgrade it"
        : "minor version \(minor) is not one of 6–10, 12–17"
      throw MailboxFormatError(.unsupportedVersion, offset: 8, detail: why)
    }
    guard bytes.count >= version.headerSize else {
      throw MailboxFormatError(
        .truncated, offset: bytes.count,
        detail: "\(bytes.count) bytes, the \(version) header is \(version.headerSize)")
    }
    var h = IndexHeader(
      version: version, generation: generation, format: format, startOffset: try c.readUInt32(),
      recordSize: try c.readUInt32(), numRecords: try c.readUInt32(),
      lastAppendDate: try c.readUInt32(), lastUID: try c.readUInt32(),
      quotaMailboxUsed: try c.readUInt64(), pop3LastLogin: try c.readUInt32(),
      uidValidity: try c.readUInt32(), deleted: try c.readUInt32(), answered: try c.readUInt32(),
      flagged: try c.readUInt32(), options: try c.readUInt32(),
      leakedCacheRecords: try c.readUInt32(), exists: 0, checksum: .absent)
    h.exists = h.numRecords
    guard Int(h.recordSize) == version.recordSize else {
      throw MailboxFormatError(
        .badRecordSize, offset: 16,
        detail: "record_size \(h.recordSize), \(version) records are \(version.recordSize) bytes")
    }
    guard Int(h.startOffset) >= version.headerSize else {
      throw MailboxFormatError(
        .badHeader, offset: 12,
        detail: "start_offset \(h.startOffset) lies inside the \(version.headerSize)-byte header")
    }
    if minor >= 8 { h.highestModseq = try c.readUInt64() }  // offset 68
    if minor >= 12 {
      h.deletedModseq = try c.readUInt64()  // 76
      h.exists = try c.readUInt32()  // 84
      h.firstExpunged = try c.readUInt32()
      h.lastRepackTime = try c.readUInt32()
      h.headerFileCRC = try c.readUInt32()  // 96
      h.syncCRC = try c.readUInt32()
      h.recentUID = try c.readUInt32()
      h.recentTime = try c.readUInt32()  // 108
    }
    if minor >= 13 {
      h.pop3ShowAfter = try c.readUInt32()  // 112
      h.quotaAnnotUsed = try c.readUInt32()
      h.syncCRCAnnot = try c.readUInt32()  // 120
    }
    if minor >= 14 { h.unseen = try c.readUInt32() }  // 124
    if minor >= 16 {
      try c.skip(128 - c.position)
      h.createdModseq = try c.readUInt64()  // 128
    }
    if minor >= 17 { h.changesEpoch = try c.readUInt32() }  // 136
    if version.hasChecksums {
      let crcOffset = version.headerSize - 4
      var at = ByteCursor(bytes, baseOffset: 0)
      try at.skip(crcOffset)
      let stored = try at.readUInt32()
      let computed = CRC32.checksum(bytes[0..<crcOffset])
      h.checksum = stored == computed ? .valid : .mismatch(stored: stored, computed: computed)
    }
    return h
  }
}
