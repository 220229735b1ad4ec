#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads the mailbox name recorded in a directory's `cyrus.header` (3.6 dlist `N` field), to
/// label by-uniqueid spool directories.
enum MailboxHeaderLabel {
  /// Largest cyrus.header read for a label, in bytes.
  static let sizeLimit = 1 << 16

  /// The mailbox name and uniqueid in `cyrus.header` of the directory open at `directoryFD`,
  /// as far as readable.
  static func read(directoryFD: Int32) -> (name: String?, uniqueID: String?) {
    let fd = openat(directoryFD, "cyrus.header", O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
    guard fd >= 0 else { return (nil, nil) }
    defer { close(fd) }
    guard let bytes = try? SystemFiles.readAll(fd: fd, path: "cyrus.header", limit: sizeLimit)
    else { return (nil, nil) }
    return HeaderNameScanner.fields(in: bytes)
  }
}

/// Finds the name and uniqueid in a cyrus.header without a full parser: in the 3.6 dlist line the
/// fields before `A` are written in the order `T`, `N`, `I`, `Q` as atoms or quoted strings
/// ([3.6.1 imap/mailbox.c:2701-2738]); the 2.2–3.4 format has `quotaroot TAB uniqueid` on the
/// line after the magic and no name.
enum HeaderNameScanner {
  /// Bytes of the cyrus.header magic (`A1 02 8B 0D "Cyrus mailbox header"` + two lines).
  static let magicLineCount = 3

  static func fields(in bytes: [UInt8]) -> (name: String?, uniqueID: String?) {
    let lines = bytes.split(
      separator: 0x0A, maxSplits: magicLineCount + 1, omittingEmptySubsequences: false)
    guard lines.count > magicLineCount else { return (nil, nil) }
    let line = Array(lines[magicLineCount])
    if line.first == 0x25 {
      return (value(of: 0x4E, in: line), value(of: 0x49, in: line))
    }
    guard let tab = line.firstIndex(of: 0x09) else { return (nil, nil) }
    let id = String(decoding: line[(tab + 1)...], as: UTF8.self)
    return (nil, id.isEmpty ? nil : id)
  }

  private static func value(of key: UInt8, in bytes: [UInt8]) -> String? {
    guard let start = bytes.firstIndex(of: 0x25), start + 1 < bytes.count, bytes[start + 1] == 0x28
    else { return nil }
    var index = start + 2
    var tokens: [[UInt8]] = []
    while index < bytes.count, tokens.count < 8 {
      let byte = bytes[index]
      if byte == 0x20 { index += 1; continue }
      if byte == 0x25 || byte == 0x28 || byte == 0x29 || byte == 0x0A { break }
      var token: [UInt8] = []
      if byte == 0x22 {
        index += 1
        while index < bytes.count, bytes[index] != 0x22 {
          if bytes[index] == 0x5C, index + 1 < bytes.count { index += 1 }
          token.append(bytes[index])
          index += 1
        }
        index += 1
      } else {
        while index < bytes.count, ![0x20, 0x29, 0x0A].contains(bytes[index]) {
          token.append(bytes[index])
          index += 1
        }
      }
      tokens.append(token)
    }
    var pair = 0
    while pair + 1 < tokens.count {
      if tokens[pair] == [key], tokens[pair + 1] != Array("NIL".utf8) {
        return String(decoding: tokens[pair + 1].map { $0 == 0x1F ? 0x2E : $0 }, as: UTF8.self)
      }
      pair += 2
    }
    return nil
  }
}
