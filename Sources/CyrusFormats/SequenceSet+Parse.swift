extension SequenceSet {
  /// Parses `seq = [range *("," range)]`, `range = uid / uid ":" uid`, decimal UIDs that fit
  /// in 32 bits, no whitespace (the empty text is the empty set). A range written high to low
  /// is accepted as IMAP does; Cyrus itself always writes them ascending.
  ///
  /// Throws ``MailboxFormatError``: `malformed` with the offset of the first byte that breaks
  /// the grammar (an empty element, a byte other than a digit, `:` or `,`, a number over
  /// 4294967295), `lengthLimit` for text over ``maxTextLength``.
  public init<C: Collection>(parsing text: C) throws where C.Element == UInt8 {
    guard text.count <= Self.maxTextLength else {
      throw MailboxFormatError(
        .lengthLimit, offset: 0,
        detail: "sequence set of \(text.count) bytes, limit \(Self.maxTextLength)")
    }
    let bytes = Array(text)
    self.init()
    guard !bytes.isEmpty else { return }
    var parsed: [ClosedRange<UInt32>] = []
    var position = 0
    var ascending = true
    while true {
      let low = try Self.number(bytes, &position)
      var high = low
      if position < bytes.count, bytes[position] == UInt8(ascii: ":") {
        position += 1
        high = try Self.number(bytes, &position)
      }
      let range = min(low, high)...max(low, high)
      if let last = parsed.last, range.lowerBound <= last.upperBound { ascending = false }
      parsed.append(range)
      guard position < bytes.count else { break }
      guard bytes[position] == UInt8(ascii: ",") else {
        throw MailboxFormatError(
          .malformed, offset: position,
          detail: "expected , or : in sequence set, found \(hex(bytes[position]))")
      }
      position += 1
    }
    if ascending {
      for r in parsed { appendSorted(r) }
    } else {
      self = SequenceSet(ranges: parsed)
    }
  }

  private static func number(_ bytes: [UInt8], _ position: inout Int) throws -> UInt32 {
    let start = position
    var n: UInt64 = 0
    while position < bytes.count, bytes[position] >= 0x30, bytes[position] <= 0x39 {
      n = n * 10 + UInt64(bytes[position] - 0x30)
      guard n <= UInt64(UInt32.max) else {
        throw MailboxFormatError(
          .malformed, offset: start, detail: "UID above \(UInt32.max) in sequence set")
      }
      position += 1
    }
    guard position > start else {
      let found = position < bytes.count ? hex(bytes[position]) : "end"
      throw MailboxFormatError(
        .malformed, offset: position, detail: "expected a UID in sequence set, found \(found)")
    }
    return UInt32(n)
  }
}
