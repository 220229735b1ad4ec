import Crypto
import CyrusFormats
import Testing

@testable import CyrusStore

/// The index digests are written as bytes into buffers; they must stay exactly the SHA-256 of
/// the text lines they stand for (saved manifests and older agents carry them).
@Suite struct IndexDigestsTests {
  /// A minor-17 record with the fields the digests read.
  func record(uid: UInt32, size: UInt32, flags: UInt32, userFlags: [UInt32], guid: UInt8) throws
    -> IndexRecord
  {
    let version = try #require(IndexVersion(minor: 17))
    var bytes = [UInt8](repeating: 0, count: version.recordSize)
    func put(_ offset: Int, _ value: UInt32) {
      for index in 0..<4 {
        bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index))
      }
    }
    put(0, uid)
    put(12, size)
    put(32, flags)
    for (index, word) in userFlags.enumerated() { put(36 + 4 * index, word) }
    for index in 60..<80 { bytes[index] = guid &+ UInt8(index) }
    return try IndexRecord.parse(bytes, version: version, number: 1, offset: 0)
  }

  /// The digests as the lines were first written: a String per line.
  func reference(_ records: [IndexRecord], flagNames: [String?]) -> (String, String, String) {
    var messages = SHA256()
    var seen = SHA256()
    var guids = SHA256()
    for record in records {
      var line = "\(record.uid) \(record.size) \(record.systemFlags.rawValue & 0xF)"
      let names = record.userFlagSlots.map { slot in
        slot < flagNames.count ? flagNames[slot] ?? "#\(slot)" : "#\(slot)"
      }
      line += " " + names.sorted().joined(separator: " ") + "\n"
      messages.update(data: Array(line.utf8))
      let isSeen = record.systemFlags.contains(.seen)
      seen.update(data: Array("\(record.uid) \(isSeen ? 1 : 0)\n".utf8))
      guids.update(data: Array("\(record.uid) \(record.guid.hex)\n".utf8))
    }
    return (IndexDigests.short(messages), IndexDigests.short(seen), IndexDigests.short(guids))
  }

  @Test(arguments: [1, 7, 3000])
  func bytesEqualTheTextLines(count: Int) throws {
    let flagNames: [String?] = ["$Label1", nil, "Junk", "Ärger", "$NotJunk", "a b"]
    var records: [IndexRecord] = []
    for index in 0..<count {
      let uid = UInt32(index * 7 + 1)
      let words: [UInt32] = [
        UInt32(index % 64), index % 5 == 0 ? 1 << 31 : 0, 0, index % 3 == 0 ? 4 : 0,
      ]
      records.append(
        try record(
          uid: uid, size: UInt32(index * 977 % 100_000), flags: UInt32(index % 32),
          userFlags: words, guid: UInt8(truncatingIfNeeded: index)))
    }
    var digests = IndexDigests()
    for record in records { digests.add(record, flagNames: flagNames) }
    let (messages, seen, guids) = reference(records, flagNames: flagNames)
    #expect(digests.messages == messages)
    #expect(digests.seen == seen)
    #expect(digests.guids == guids)
    #expect(digests.count == UInt32(count))
  }

  @Test func largeNumbersAndNoRecords() throws {
    let records = [
      try record(
        uid: UInt32.max, size: UInt32.max, flags: 0xFFFF, userFlags: [0, 0, 0, 0], guid: 0),
      try record(uid: 10, size: 0, flags: 0, userFlags: [UInt32.max, 0, 0, 0], guid: 9),
    ]
    var digests = IndexDigests()
    for record in records { digests.add(record, flagNames: []) }
    let (messages, seen, guids) = reference(records, flagNames: [])
    #expect([digests.messages, digests.seen, digests.guids] == [messages, seen, guids])
    let empty = IndexDigests()
    let (m0, s0, g0) = reference([], flagNames: [])
    #expect([empty.messages, empty.seen, empty.guids] == [m0, s0, g0])
  }
}
