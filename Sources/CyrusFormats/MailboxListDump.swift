/// The `ctl_mboxlist -d` dump formats, to parse and to print byte for byte.
///
/// | format | versions | line |
/// |---|---|---|
/// | ``Format/cyrus22`` | upstream 2.2.0 – 2.2.13, 2.3.0 – 2.3.3 | `name TAB partition TAB acl` (2.2.13 cyrus/imap/ctl_mboxlist.c:190) |
/// | ``Format/cyrus22Debian`` | Debian 2.2.13-3+, upstream 2.3.4 – 2.3.9 | `name TAB mbtype SP partition TAB acl` (2.3.4 cyrus/imap/ctl_mboxlist.c:190) |
/// | ``Format/cyrus23`` | 2.3.10 – 2.5.x | `name TAB mbtype SP partition SP acl` (2.5.17 imap/ctl_mboxlist.c:182) |
/// | ``Format/cyrus30`` | 3.0 – 3.4 | `name TAB mbtype SP [server!]partition SP acl` (3.0.18 imap/ctl_mboxlist.c:181) |
/// | ``Format/cyrus36`` | 3.6 | JSON, one member per line (3.6.1 imap/ctl_mboxlist.c:558-688) |
///
/// In the text formats the ACL is the rest of the line (`id TAB rights TAB …`, trailing TAB
/// included), mbtype is the 2.2 – 3.4 numeric bitmask, and a partition containing `!` is
/// `server!partition` (2.3 – 2.5 wrote remote partitions that way too, so ``Format/cyrus23`` and
/// ``Format/cyrus30`` are read and written by the same code).
public enum MailboxListDump {
  public enum Format: String, Hashable, Sendable, CaseIterable {
    case cyrus22, cyrus22Debian, cyrus23, cyrus30, cyrus36
  }

  /// Size of the `fgets` buffer of 2.x – 3.4 `ctl_mboxlist -u` (`char buf[16384]`); a line of
  /// this length or longer (LF included) is split in two by Cyrus. Unit: bytes.
  public static let cyrusLineBuffer = 16384
  /// Longest text-format line accepted, LF excluded: what fits in Cyrus's buffer with LF and
  /// NUL. Unit: bytes.
  public static let maxTextLineLength = cyrusLineBuffer - 2
  /// Longest 3.6 JSON line accepted (3.6 reads JSON with `json_loadf`, without a line limit;
  /// this bounds memory). Unit: bytes.
  public static let maxJSONLineLength = 1 << 20

  /// Guesses the format from the first line (without LF): `{` → 3.6; after the name's TAB,
  /// digits and SP then a partition ending in TAB → Debian 2.2, ending in SP → 2.3 (3.0 when the
  /// partition holds `!`); anything else → upstream 2.2. Nil for a line without TAB.
  public static func detect<C: Collection>(firstLine: C) -> Format? where C.Element == UInt8 {
    let line = Array(firstLine)
    if line == [UInt8(ascii: "{")] { return .cyrus36 }
    guard let tab = line.firstIndex(of: 0x09) else { return nil }
    let rest = line[(tab + 1)...]
    let digits = rest.prefix { $0 >= 0x30 && $0 <= 0x39 }
    guard !digits.isEmpty, rest.dropFirst(digits.count).first == 0x20 else { return .cyrus22 }
    let part = rest.dropFirst(digits.count + 1)
    guard let end = part.firstIndex(where: { $0 == 0x20 || $0 == 0x09 }) else { return .cyrus22 }
    if line[end] == 0x09 { return .cyrus22Debian }
    return part[..<end].contains(UInt8(ascii: "!")) ? .cyrus30 : .cyrus23
  }

  /// One entry as a dump line of a text format, LF included. Only the fields the format holds
  /// are written; mbtype prints as ``MailboxType/legacyNumber``.
  public static func textLine(_ entry: MailboxEntry, format: Format) -> [UInt8] {
    precondition(format != .cyrus36, "3.6 dumps are printed with json36Line")
    let part = (entry.server.map { $0 + "!" } ?? "") + (entry.partition ?? "")
    let name = entry.name.internalName
    let acl = entry.acl.tabSeparated
    let n = entry.type.legacyNumber
    let line: String
    switch format {
    case .cyrus22: line = "\(name)\t\(part)\t\(acl)\n"
    case .cyrus22Debian: line = "\(name)\t\(n) \(part)\t\(acl)\n"
    case .cyrus23, .cyrus30, .cyrus36: line = "\(name)\t\(n) \(part) \(acl)\n"
    }
    return Array(line.utf8)
  }

  /// Parses one line (LF and an optional CR before it removed) of a text format.
  public static func parseTextLine(_ line: [UInt8], format: Format, lineNumber: Int) throws
    -> MailboxEntry
  {
    precondition(format != .cyrus36, "3.6 dumps are parsed with MailboxListDumpParser")
    func error(_ kind: MailboxListDumpError.Kind, at index: Int, _ detail: String)
      -> MailboxListDumpError
    {
      MailboxListDumpError(kind, line: lineNumber, column: index + 1, detail: detail)
    }
    guard line.count <= maxTextLineLength else {
      throw error(
        .lineTooLong, at: maxTextLineLength,
        "\(line.count) bytes; Cyrus splits lines at \(cyrusLineBuffer - 1)")
    }
    guard let tab = line.firstIndex(of: 0x09) else {
      throw error(.missingTab, at: line.count, "no TAB after the name")
    }
    guard tab > 0 else { throw error(.malformedLine, at: 0, "empty mailbox name") }
    var entry = MailboxEntry(name: MailboxName(String(decoding: line[..<tab], as: UTF8.self)))
    var i = tab + 1
    if format != .cyrus22 {
      let digits = line[i...].prefix { $0 >= 0x30 && $0 <= 0x39 }
      guard !digits.isEmpty, digits.count <= 9, let n = Int(String(decoding: digits, as: UTF8.self))
      else {
        throw error(.badMailboxType, at: i, "numeric mbtype expected")
      }
      do { entry.type = try MailboxType(legacyNumber: n) } catch {
        throw MailboxListDumpError(
          .badMailboxType, line: lineNumber, column: i + 1, detail: "mbtype \(n)")
      }
      i += digits.count
      guard i < line.count, line[i] == 0x20 else {
        throw error(.malformedLine, at: i, "SP expected after mbtype")
      }
      i += 1
    }
    let ends: [UInt8] = format == .cyrus22 || format == .cyrus22Debian ? [0x09] : [0x20, 0x09]
    guard let partEnd = line[i...].firstIndex(where: ends.contains) else {
      throw error(
        format == .cyrus22 || format == .cyrus22Debian ? .missingTab : .malformedLine,
        at: line.count, "no end of partition")
    }
    (entry.server, entry.partition) = MailboxEntry.splitServer(line[i..<partEnd])
    entry.acl = ACL(tabSeparated: String(decoding: line[(partEnd + 1)...], as: UTF8.self))
    return entry
  }
}

/// A dump that does not parse, with a 1-based line number and byte column.
public struct MailboxListDumpError: Error, Hashable, Sendable, CustomStringConvertible {
  public enum Kind: String, Hashable, Sendable {
    case malformedLine, missingTab, badMailboxType, badNumber, lineTooLong, badJSON
    /// The data ends inside the dump (no final LF, no closing `}`).
    case unexpectedEnd
    /// The first line matches no format.
    case unknownFormat
  }

  public var kind: Kind
  public var line: Int
  public var column: Int
  public var detail: String

  public init(_ kind: Kind, line: Int, column: Int, detail: String) {
    self.kind = kind
    self.line = line
    self.column = column
    self.detail = detail
  }

  public var description: String { "line \(line), column \(column): \(kind.rawValue): \(detail)" }
}
