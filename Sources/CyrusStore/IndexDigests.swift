import Crypto
import CyrusFormats

/// The running digests of an ``IndexSummary``, over live records in file (UID) order.
///
/// Each digest is the SHA-256 of one text line per record. The lines are written as bytes into a
/// buffer per digest and hashed a buffer at a time: the same digests as hashing each line as a
/// String, without the Strings (the walk does this for every message).
struct IndexDigests {
  private var messageLines = DigestLines()
  private var seenLines = DigestLines()
  private var guidLines = DigestLines()
  private(set) var count: UInt32 = 0
  private(set) var allGUIDs = true
  /// The owner's seen UIDs as ranges of consecutive UIDs, while there are at most
  /// ``maxSeenRanges``; `nil` once there are more (the digest still compares).
  private var seenRanges: [ClosedRange<UInt32>]? = []
  /// The user flag names of each set of user flags met so far, sorted and joined as the
  /// message line has them (a mailbox's messages share a few sets), at most ``maxFlagSets``.
  private var flagNameCache: [UserFlagWords: [UInt8]] = [:]
  /// Cap on ``flagNameCache``. Unit: sets of user flags.
  static let maxFlagSets = 256
  /// Cap on the seen set shown in a finding. Unit: ranges (`1:3,5` is two).
  static let maxSeenRanges = 200

  /// Adds `record`'s lines: `<uid> <size> <system flags & 0xF> <user flag names sorted>\n` (the
  /// names as `flagNames` has them by slot, `#<slot>` for a slot without a name), `<uid>
  /// <0|1>\n` for the owner's \Seen, and the GUID line (``withGUIDLine(_:_:)``).
  mutating func add(_ record: IndexRecord, flagNames: [String?]) {
    count += 1
    messageLines.decimal(UInt64(record.uid))
    messageLines.byte(0x20)
    messageLines.decimal(UInt64(record.size))
    messageLines.byte(0x20)
    messageLines.decimal(UInt64(record.systemFlags.rawValue & 0xF))
    messageLines.byte(0x20)
    if !record.userFlagWords.isEmpty {
      messageLines.append(userFlagNames(record, flagNames: flagNames))
    }
    messageLines.byte(0x0A)
    let seen = record.systemFlags.contains(.seen)
    seenLines.decimal(UInt64(record.uid))
    seenLines.byte(0x20)
    seenLines.byte(seen ? 0x31 : 0x30)
    seenLines.byte(0x0A)
    if seen { addSeen(record.uid) }
    if record.guid.isZero { allGUIDs = false }
    Self.withGUIDLine(record) { guidLines.append($0) }
  }

  /// The names of `record`'s user flags, sorted and joined by spaces, as bytes.
  private mutating func userFlagNames(_ record: IndexRecord, flagNames: [String?]) -> [UInt8] {
    if let known = flagNameCache[record.userFlagWords] { return known }
    let names = record.userFlagSlots.map { slot in
      slot < flagNames.count ? flagNames[slot] ?? "#\(slot)" : "#\(slot)"
    }
    let joined = Array(names.sorted().joined(separator: " ").utf8)
    if flagNameCache.count < Self.maxFlagSets { flagNameCache[record.userFlagWords] = joined }
    return joined
  }

  /// Records `uid` (ascending across calls) in the seen ranges, within the cap.
  private mutating func addSeen(_ uid: UInt32) {
    guard var ranges = seenRanges else { return }
    seenRanges = nil  // no copy of the array while it is changed
    if let last = ranges.last, last.upperBound < UInt32.max, last.upperBound + 1 == uid {
      ranges[ranges.count - 1] = last.lowerBound...uid
    } else {
      ranges.append(uid...uid)
    }
    if ranges.count <= Self.maxSeenRanges { seenRanges = ranges }
  }

  /// The owner's seen UIDs as `1:3,5` (`""` for none), or `nil` past the cap.
  var seenUIDs: String? {
    seenRanges.map { SequenceSet(ranges: $0).description }
  }

  var messages: String { messageLines.short() }
  var seen: String { seenLines.short() }
  var guids: String { guidLines.short() }

  static func short(_ hasher: SHA256) -> String {
    hasher.finalize().prefix(8).map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }
      .joined()
  }
}

/// Lines for one SHA-256, gathered in a buffer and hashed a buffer at a time.
private struct DigestLines {
  private var hasher = SHA256()
  private var pending: [UInt8] = []
  /// Bytes gathered before they are hashed. Unit: bytes.
  private static let flushBytes = 8192

  mutating func byte(_ value: UInt8) {
    pending.append(value)
  }

  mutating func append(_ bytes: [UInt8]) {
    pending.append(contentsOf: bytes)
    flushIfFull()
  }

  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    pending.append(contentsOf: bytes)
    flushIfFull()
  }

  /// Appends `value` in decimal, as `"\(value)"` writes it.
  mutating func decimal(_ value: UInt64) {
    flushIfFull()
    var divisor: UInt64 = 1
    while divisor <= value / 10 { divisor *= 10 }
    var rest = value
    while divisor > 0 {
      pending.append(0x30 + UInt8(truncatingIfNeeded: rest / divisor))
      rest %= divisor
      divisor /= 10
    }
  }

  private mutating func flushIfFull() {
    guard pending.count >= Self.flushBytes else { return }
    pending.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    pending.removeAll(keepingCapacity: true)
  }

  /// The first 8 bytes of the digest of everything appended, in hex.
  func short() -> String {
    var hasher = self.hasher
    pending.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    return IndexDigests.short(hasher)
  }
}
