/// The options of an `imapd.conf`, read the way Cyrus's `lib/libconfig.c` reads them.
///
/// Syntax (Cyrus 2.2–3.6 `config_read_file`): one `key: value` per line; leading blanks are
/// skipped; a line whose first non-blank byte is `#` is a comment; keys are made of letters,
/// digits, `-` and `_` and are compared lowercased; the value runs from the first non-blank
/// after the colon to the end of the line, trailing blanks removed; a line ending in `\`
/// continues on the next line (2.3+). `@include: FILE` pulls in another file — the parser
/// reports it in ``includes`` and the caller reads that file and calls ``merge(_:)``.
///
/// Unknown keys are kept: a site's config names options this tool never needs, and a newer
/// Cyrus may add options. Nothing here is fatal except what the caller decides is.
public struct ImapdConf: Sendable, Equatable {
  /// One `key: value` line, with the 1-based line number it started on.
  public struct Option: Sendable, Equatable {
    /// The key, lowercased.
    public var key: String
    /// The value as written, blanks trimmed.
    public var value: String
    /// 1-based line number in ``source``.
    public var line: Int
    /// The file the option came from (as the caller named it).
    public var source: String
  }

  /// A line that is not `key: value`, or a key given twice; Cyrus itself refuses to start on
  /// most of these, so they are reported, not ignored.
  public struct Diagnostic: Sendable, Equatable, CustomStringConvertible {
    /// The file the problem is in.
    public var source: String
    /// 1-based line number.
    public var line: Int
    /// What is wrong with it.
    public var message: String
    public var description: String { "\(source):\(line): \(message)" }
  }

  /// Options in file order; a repeated key appears once, with the last value (see ``diagnostics``).
  public private(set) var options: [Option] = []
  /// Problems found while parsing: the first ``maximumDiagnostics``, then one that counts the
  /// rest.
  public var diagnostics: [Diagnostic] {
    guard let firstDropped, droppedDiagnostics > 0 else { return kept }
    return kept + [
      Diagnostic(
        source: firstDropped.source, line: firstDropped.line,
        message: "and \(droppedDiagnostics) more problems from here on, not listed")
    ]
  }
  /// Problems found past ``maximumDiagnostics``, counted only.
  public private(set) var droppedDiagnostics = 0
  private var kept: [Diagnostic] = []
  private var firstDropped: Diagnostic?
  /// Where each key is in ``options``, so that a file of many keys is read in linear time.
  private var positions: [String: Int] = [:]
  /// `@include` targets, in order, as written.
  public private(set) var includes: [String] = []

  /// Longest line accepted, in bytes (Cyrus reads lines of any length; this bounds memory).
  public static let maximumLineLength = 1 << 20
  /// Most diagnostics kept, over a file and everything it includes (the rest are counted):
  /// `@include`s of one file many times would otherwise repeat "given twice" without end.
  public static let maximumDiagnostics = 1000

  /// An empty configuration.
  public init() {}

  /// Parses the text of one `imapd.conf`.
  /// - Parameters:
  ///   - text: the file's bytes.
  ///   - source: the name to use in diagnostics (usually the path).
  public init(parsing text: [UInt8], source: String) {
    var physical = text.split(separator: 0x0A, omittingEmptySubsequences: false)
    if physical.last?.isEmpty == true { physical.removeLast() }
    var logical: [UInt8] = []
    var logicalStart = 1
    for (offset, slice) in physical.enumerated() {
      var line = Array(slice)
      if line.last == 0x0D { line.removeLast() }
      if logical.isEmpty { logicalStart = offset + 1 }
      let continued = line.last == 0x5C  // a trailing backslash continues the line
      if continued { line.removeLast() }
      logical += line
      if continued && offset + 1 < physical.count { continue }
      if logical.count > ImapdConf.maximumLineLength {
        diagnose(.init(source: source, line: logicalStart, message: "line too long"))
      } else {
        parseLine(logical, line: logicalStart, source: source)
      }
      logical = []
    }
  }

  private mutating func parseLine(_ bytes: [UInt8], line: Int, source: String) {
    var index = 0
    while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
    guard index < bytes.count, bytes[index] != 0x23 else { return }  // blank or '#'
    let keyStart = index
    while index < bytes.count, Self.isKeyByte(bytes[index]) { index += 1 }
    let keyBytes = bytes[keyStart..<index]
    if keyBytes.isEmpty && bytes[index] == 0x40 {  // '@include'
      index += 1
      while index < bytes.count, Self.isKeyByte(bytes[index]) { index += 1 }
    }
    let rawKey = String(decoding: bytes[keyStart..<index], as: UTF8.self).lowercased()
    guard !rawKey.isEmpty, index < bytes.count, bytes[index] == 0x3A else {
      diagnose(.init(source: source, line: line, message: "not a 'key: value' line"))
      return
    }
    index += 1
    while index < bytes.count && (bytes[index] == 0x20 || bytes[index] == 0x09) { index += 1 }
    var valueEnd = bytes.count
    while valueEnd > index && (bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09) {
      valueEnd -= 1
    }
    let value = String(decoding: bytes[index..<valueEnd], as: UTF8.self)
    if rawKey == "@include" {
      includes.append(value)
      return
    }
    set(Option(key: rawKey, value: value, line: line, source: source))
  }

  private mutating func diagnose(_ diagnostic: Diagnostic) {
    if kept.count < Self.maximumDiagnostics {
      kept.append(diagnostic)
    } else {
      if firstDropped == nil { firstDropped = diagnostic }
      droppedDiagnostics += 1
    }
  }

  private mutating func set(_ option: Option) {
    if let existing = positions[option.key] {
      let first = options[existing]
      diagnose(
        .init(
          source: option.source, line: option.line,
          message: "option '\(option.key)' given twice (first at \(first.source):\(first.line));"
            + " Cyrus refuses such a file, the last value is used here"))
      options[existing] = option
    } else {
      positions[option.key] = options.count
      options.append(option)
    }
  }

  private static func isKeyByte(_ byte: UInt8) -> Bool {
    (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A)
      || (byte >= 0x61 && byte <= 0x7A)
      || byte == 0x2D || byte == 0x5F
  }

  /// Adds the options of an included file, in place of its `@include` line's position at the end.
  public mutating func merge(_ other: ImapdConf) {
    for option in other.options { set(option) }
    for diagnostic in other.kept { diagnose(diagnostic) }
    if firstDropped == nil { firstDropped = other.firstDropped }
    droppedDiagnostics += other.droppedDiagnostics
  }

  /// The value of `key` (lowercase), if set.
  public subscript(key: String) -> String? {
    positions[key.lowercased()].map { options[$0].value }
  }

  /// Where `key` was set, for messages: `path:line`.
  public func location(of key: String) -> String? {
    positions[key.lowercased()].map { "\(options[$0].source):\(options[$0].line)" }
  }

  /// A boolean option as Cyrus reads it (`yes/on/t/true/1` or `no/off/f/false/0`); `nil` when
  /// unset or not a boolean.
  public func bool(_ key: String) -> Bool? {
    guard let value = self[key]?.lowercased() else { return nil }
    switch value {
    case "yes", "on", "t", "true", "1": return true
    case "no", "off", "f", "false", "0": return false
    default: return nil
    }
  }

  /// Every `prefix-NAME: path` option (for example all `partition-*`), sorted by NAME.
  public func prefixed(_ prefix: String) -> [(name: String, value: String)] {
    options.compactMap { option in
      guard option.key.hasPrefix(prefix + "-") else { return nil }
      return (String(option.key.dropFirst(prefix.count + 1)), option.value)
    }.sorted { $0.name < $1.name }
  }
}
