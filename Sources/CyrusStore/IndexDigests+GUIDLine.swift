import CyrusFormats

extension IndexDigests {
  /// Longest line: ten digits of a UID, a space, 40 hex digits, a newline. Unit: bytes.
  static let guidLineLimit = 10 + 1 + 2 * MessageGUID.size + 1

  /// Calls `body` with the GUID digest's line for `record`, `<uid> <guid hex>\n`: the bytes of
  /// `"\(record.uid) \(record.guid.hex)\n"`, written into a buffer on the stack instead of a
  /// String and an array per record (the walk does this for every message).
  static func withGUIDLine<Result>(
    _ record: IndexRecord, _ body: (UnsafeRawBufferPointer) -> Result
  ) -> Result {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: guidLineLimit) { line in
      var count = 0
      var value = record.uid
      repeat {
        line[count] = 0x30 + UInt8(value % 10)
        value /= 10
        count += 1
      } while value > 0
      line[0..<count].reverse()
      line[count] = 0x20
      count += 1
      count = record.guid.writeHex(into: line, at: count)
      line[count] = 0x0A
      count += 1
      return body(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: line[0..<count])))
    }
  }
}
