/// Parses a `ctl_mboxlist -d` dump incrementally: feed it bytes as they are read, get entries
/// in dump order; memory is bounded by the longest line.
///
/// Rules beyond the per-format grammar (``MailboxListDump``):
/// - every line must end with LF; one CR before it is dropped (Cyrus's undump strips CR too);
/// - text lines longer than ``MailboxListDump/maxTextLineLength`` are an error, since Cyrus's
///   own undump would split them; 3.6 lines are capped at ``MailboxListDump/maxJSONLineLength``;
/// - the format is detected from the first line unless given;
/// - 3.6: line 1 is `{`, then one `"name": {...}` member per line, each but the last followed
///   by `,`, then `}`; an empty dump is `{`, an empty line, `}`. Other JSON layouts can be read
///   with ``MailboxListDump/parseJSONDocument(_:)``.
public struct MailboxListDumpParser: Sendable {
  public private(set) var format: MailboxListDump.Format?
  private var pending: [UInt8] = []
  private var lineNumber = 0
  private var json = JSONState.header

  private enum JSONState { case header, firstMember, member, closeOrMember, close, done }

  public init(format: MailboxListDump.Format? = nil) { self.format = format }

  private var maxLine: Int {
    format == .cyrus36 || format == nil
      ? MailboxListDump.maxJSONLineLength : MailboxListDump.maxTextLineLength
  }

  /// Consumes `bytes`, calling `body` for every complete entry.
  public mutating func feed<C: Collection>(_ bytes: C, _ body: (MailboxEntry) throws -> Void) throws
  where C.Element == UInt8 {
    var rest = bytes[...]
    while let lf = rest.firstIndex(of: 0x0A) {
      pending += rest[..<lf]
      rest = rest[rest.index(after: lf)...]
      if pending.last == 0x0D { pending.removeLast() }
      lineNumber += 1
      let line = pending
      pending.removeAll(keepingCapacity: true)
      try parseLine(line, body)
    }
    pending += rest
    guard pending.count <= maxLine + 1 else {
      throw MailboxListDumpError(
        .lineTooLong, line: lineNumber + 1, column: maxLine + 1,
        detail: "line longer than \(maxLine) bytes")
    }
  }

  /// Checks that the dump ended cleanly.
  public func finish() throws {
    guard pending.isEmpty else {
      throw MailboxListDumpError(
        .unexpectedEnd, line: lineNumber + 1, column: pending.count + 1,
        detail: "last line has no LF")
    }
    if format == .cyrus36, json != .done {
      throw MailboxListDumpError(
        .unexpectedEnd, line: lineNumber, column: 1, detail: "JSON dump without closing }")
    }
  }

  private mutating func parseLine(_ line: [UInt8], _ body: (MailboxEntry) throws -> Void) throws {
    if format == nil {
      guard let f = MailboxListDump.detect(firstLine: line) else {
        throw MailboxListDumpError(
          .unknownFormat, line: lineNumber, column: 1, detail: "first line matches no dump format")
      }
      format = f
    }
    guard let format else { return }
    if format != .cyrus36 {
      try body(MailboxListDump.parseTextLine(line, format: format, lineNumber: lineNumber))
      return
    }
    func fail(_ kind: MailboxListDumpError.Kind, _ column: Int, _ detail: String)
      -> MailboxListDumpError
    {
      MailboxListDumpError(kind, line: lineNumber, column: column, detail: detail)
    }
    guard line.count <= MailboxListDump.maxJSONLineLength else {
      throw fail(
        .lineTooLong, MailboxListDump.maxJSONLineLength + 1,
        "line longer than \(MailboxListDump.maxJSONLineLength) bytes")
    }
    switch json {
    case .header:
      guard line == [UInt8(ascii: "{")] else { throw fail(.badJSON, 1, "expected {") }
      json = .firstMember
      return
    case .done:
      throw fail(.badJSON, 1, "text after the closing }")
    case .close:
      guard line == [UInt8(ascii: "}")] else { throw fail(.badJSON, 1, "expected }") }
      json = .done
      return
    case .firstMember where line.isEmpty:
      json = .close
      return
    case .firstMember where line == [UInt8(ascii: "}")]:
      json = .done
      return
    case .member where line == [UInt8(ascii: "}")]:
      throw fail(.badJSON, 1, "} after a trailing ,")
    case .closeOrMember where line == [UInt8(ascii: "}")]:
      json = .done
      return
    case .firstMember, .member, .closeOrMember:
      if json == .closeOrMember {
        throw fail(.badJSON, 1, "expected , at the end of the previous line")
      }
    }
    var member = line[...]
    let hasComma = member.last == UInt8(ascii: ",")
    if hasComma { member = member.dropLast() }
    let value: JSONValue
    do {
      value = try JSONValue.parse([UInt8(ascii: "{")] + member + [UInt8(ascii: "}")])
    } catch let e as JSONError {
      throw fail(.badJSON, max(1, e.offset), e.detail)
    }
    guard case .object(let members) = value, members.count == 1, let m = members.first else {
      throw fail(.badJSON, 1, "expected exactly one \"name\": {...} member")
    }
    do {
      try body(MailboxListDump.entry(name: m.key, json: m.value))
    } catch let e as MailboxEntryError {
      throw fail(
        e.kind == .badNumber ? .badNumber : e.kind == .badMailboxType ? .badMailboxType : .badJSON,
        1, e.detail)
    }
    json = hasComma ? .member : .closeOrMember
  }
}

extension MailboxListDump {
  /// Parses a complete dump held in memory; detects the format unless given.
  public static func parse(_ bytes: [UInt8], format: Format? = nil) throws -> (
    format: Format?, entries: [MailboxEntry]
  ) {
    var parser = MailboxListDumpParser(format: format)
    var entries: [MailboxEntry] = []
    try parser.feed(bytes) { entries.append($0) }
    try parser.finish()
    return (parser.format, entries)
  }

  /// Parses a 3.6 dump of any JSON layout (one object of `name: {...}` members).
  public static func parseJSONDocument(_ bytes: [UInt8]) throws -> [MailboxEntry] {
    guard case .object(let members) = try JSONValue.parse(bytes) else {
      throw JSONError(offset: 0, detail: "dump is not a JSON object")
    }
    return try members.map { try entry(name: $0.key, json: $0.value) }
  }
}
