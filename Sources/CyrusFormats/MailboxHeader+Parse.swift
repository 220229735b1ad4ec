extension MailboxHeader {
  /// Parses a whole `cyrus.header` file read from `source`.
  ///
  /// Throws ``MailboxFormatError`` of kind `lengthLimit` for a file over ``maxFileSize``, and
  /// whatever ``parse(_:)`` throws.
  public static func read<Source: RandomAccessBytes>(_ source: Source) throws -> MailboxHeader {
    guard source.count <= maxFileSize else {
      throw MailboxFormatError(
        .lengthLimit, offset: 0,
        detail: "cyrus.header of \(source.count) bytes, limit \(maxFileSize)")
    }
    let bytes: [UInt8]
    do {
      bytes = try source.bytes(at: 0, count: source.count)
    } catch {
      throw MailboxFormatError(.truncated, offset: 0, detail: "cannot read: \(error)")
    }
    return try parse(bytes)
  }

  /// Parses the bytes of a `cyrus.header` file, either layout, as 3.6.1's
  /// `mailbox_read_header` does.
  ///
  /// Errors (``MailboxFormatError``): `badMagic` when the magic is missing or wrong;
  /// `truncated` when a line Cyrus requires has no LF; `malformed` for a TAB with an empty
  /// uniqueid after it, or a dlist line that does not parse (offset of the dlist error);
  /// `lengthLimit` for more than ``maxUserFlags`` flag slots or a file over ``maxFileSize``.
  public static func parse(_ bytes: [UInt8]) throws -> MailboxHeader {
    guard bytes.count <= maxFileSize else {
      throw MailboxFormatError(
        .lengthLimit, offset: 0,
        detail: "cyrus.header of \(bytes.count) bytes, limit \(maxFileSize)")
    }
    guard bytes.starts(with: magic) else {
      // A file that is a proper prefix of the magic was cut short; anything else is not ours.
      if let at = (0..<min(bytes.count, magic.count)).first(where: { bytes[$0] != magic[$0] }) {
        throw MailboxFormatError(
          .badMagic, offset: at, detail: "cyrus.header magic differs at byte \(at)")
      }
      throw MailboxFormatError(
        .truncated, offset: bytes.count,
        detail: "\(bytes.count) bytes, the magic alone is \(magic.count)")
    }
    let crc = CRC32.checksum(bytes)
    var lines = LineReader(bytes: bytes, position: magic.count)
    let first = try lines.next(what: "quota root / uniqueid line")
    if bytes[first].first == UInt8(ascii: "%") {
      var header = try parseDlist(bytes[first], at: first.lowerBound)
      header.fileCRC = crc
      return header
    }
    return try parseText(bytes, first: first, lines: &lines, crc: crc)
  }

  private static func text<C: Collection>(_ b: C) -> String where C.Element == UInt8 {
    String(decoding: b, as: UTF8.self)
  }

  private static func parseText(
    _ bytes: [UInt8], first: Range<Int>, lines: inout LineReader, crc: UInt32
  ) throws -> MailboxHeader {
    var quotaRoot: String? = nil
    var uniqueID: String? = nil
    if let tab = bytes[first].firstIndex(of: 0x09) {
      if tab > first.lowerBound { quotaRoot = text(bytes[first.lowerBound..<tab]) }
      let idEnd = bytes[(tab + 1)..<first.upperBound].firstIndex(of: 0x09) ?? first.upperBound
      guard idEnd > tab + 1 else {
        throw MailboxFormatError(.malformed, offset: tab + 1, detail: "empty uniqueid after TAB")
      }
      uniqueID = text(bytes[(tab + 1)..<idEnd])
    } else if !first.isEmpty {
      quotaRoot = text(bytes[first])
    }
    let flagLine = try lines.next(what: "user flag line")
    var flags: [String?] = []
    for field in bytes[flagLine].split(separator: 0x20, omittingEmptySubsequences: false) {
      flags.append(field.isEmpty ? nil : text(field))
    }
    while let last = flags.last, last == nil { flags.removeLast() }
    guard flags.count <= maxUserFlags else {
      throw MailboxFormatError(
        .lengthLimit, offset: flagLine.lowerBound,
        detail: "\(flags.count) user flag slots, limit \(maxUserFlags)")
    }
    let aclLine = try lines.next(what: "ACL line")
    return MailboxHeader(
      layout: .text, quotaRoot: quotaRoot, uniqueID: uniqueID, userFlags: flags,
      acl: ACL(tabSeparated: text(bytes[aclLine])), fileCRC: crc)
  }

  private static func parseDlist(_ line: ArraySlice<UInt8>, at offset: Int) throws
    -> MailboxHeader
  {
    let value: Dlist
    do {
      value = try Dlist.parse(line)
    } catch let error as DlistError {
      throw MailboxFormatError(
        .malformed, offset: offset + error.offset, detail: "header dlist: \(error.detail)")
    }
    guard let fields = value.fields else {
      throw MailboxFormatError(.malformed, offset: offset, detail: "header dlist is not a kvlist")
    }
    var header = MailboxHeader(layout: .dlist, uniqueID: nil)
    for field in fields {
      switch text(field.key) {
      case "T": header.typeLetters = field.value.text
      case "N": header.name = field.value.text
      case "I": header.uniqueID = field.value.text
      case "Q": header.quotaRoot = field.value.text.flatMap { $0.isEmpty ? nil : $0 }
      case "A":
        let entries = (field.value.fields ?? []).map {
          ACL.Entry(identifier: text($0.key), rights: $0.value.text ?? "")
        }
        header.acl = ACL(entries)
      case "U":
        guard let items = field.value.elements else {
          throw MailboxFormatError(.malformed, offset: offset, detail: "U is not a list")
        }
        guard items.count <= maxUserFlags else {
          throw MailboxFormatError(
            .lengthLimit, offset: offset,
            detail: "\(items.count) user flag slots, limit \(maxUserFlags)")
        }
        header.userFlags = items.map { $0.text }
        while let last = header.userFlags.last, last == nil { header.userFlags.removeLast() }
      default: continue  // Cyrus ignores keys it does not know
      }
    }
    return header
  }
}

/// Splits bytes into LF-terminated lines, reporting a missing LF as truncation.
private struct LineReader {
  let bytes: [UInt8]
  var position: Int

  /// The next line without its LF.
  mutating func next(what: String) throws -> Range<Int> {
    guard let lf = bytes[position...].firstIndex(of: 0x0A) else {
      throw MailboxFormatError(.truncated, offset: position, detail: "\(what) without LF")
    }
    defer { position = lf + 1 }
    return position..<lf
  }
}
