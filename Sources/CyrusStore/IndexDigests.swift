import Crypto
import CyrusFormats

/// The running digests of an ``IndexSummary``, over live records in file (UID) order.
struct IndexDigests {
  private var messageHasher = SHA256()
  private var seenHasher = SHA256()
  private var guidHasher = SHA256()
  private(set) var count: UInt32 = 0
  private(set) var allGUIDs = true
  /// The owner's seen UIDs as ranges of consecutive UIDs, while there are at most
  /// ``maxSeenRanges``; `nil` once there are more (the digest still compares).
  private var seenRanges: [ClosedRange<UInt32>]? = []
  /// Cap on the seen set shown in a finding. Unit: ranges (`1:3,5` is two).
  static let maxSeenRanges = 200

  mutating func add(_ record: IndexRecord, flagNames: [String?]) {
    count += 1
    var line = "\(record.uid) \(record.size) \(record.systemFlags.rawValue & 0xF)"
    let names = record.userFlagSlots.map { slot in
      slot < flagNames.count ? flagNames[slot] ?? "#\(slot)" : "#\(slot)"
    }
    line += " " + names.sorted().joined(separator: " ") + "\n"
    messageHasher.update(data: Array(line.utf8))
    let seen = record.systemFlags.contains(.seen)
    seenHasher.update(data: Array("\(record.uid) \(seen ? 1 : 0)\n".utf8))
    if seen { addSeen(record.uid) }
    if record.guid.isZero { allGUIDs = false }
    Self.withGUIDLine(record) { guidHasher.update(bufferPointer: $0) }
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

  var messages: String { Self.short(messageHasher) }
  var seen: String { Self.short(seenHasher) }
  var guids: String { Self.short(guidHasher) }

  static func short(_ hasher: SHA256) -> String {
    hasher.finalize().prefix(8).map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }
      .joined()
  }
}
