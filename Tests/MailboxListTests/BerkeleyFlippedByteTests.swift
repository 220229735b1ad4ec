@_spi(Fixtures) import BerkeleyDB
import CyrusFormats
import CyrusStore
import Foundation
import Remote
import Testing

/// One flipped byte at a time, read the way the verifier reads every Berkeley DB file: through
/// the child reader (`read-berkeley-db` in its sandbox).
///
/// Cyrus's Berkeley DB files have no checksums, so most flips read back as different data; the
/// rest must be an error naming the file. libdb itself is not memory-safe on such input: under
/// AddressSanitizer an in-process sweep read freed memory in `__db_retcopy` (a copy of 48,830
/// bytes from a freed page buffer), and once a normal build of the tests died of SIGSEGV in it.
/// So the sweep runs where the product runs libdb, in a child whose crash is only an error.
@Suite("Single flipped bytes, read through the child reader")
struct BerkeleyFlippedByteTests {
  /// 300 mailboxes at 4096-byte pages: 6 pages, 24,576 bytes.
  static let records: [BerkeleyRecord] = (0..<300).map { index in
    let name = "u" + String(index + 10_000).dropFirst()
    return BerkeleyRecord(
      key: Array("user.\(name)".utf8), value: Array("0 default \(name)\tlrswipcda\t".utf8))
  }

  /// The page header and the start of the index area of every page, then every 53rd byte.
  static func offsets(fileSize: Int) -> [Int] {
    (0..<fileSize).filter { $0 % 4096 < 64 || $0 % 53 == 0 }
  }

  static func read(_ path: String, kind: CyrusDBKind) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try BerkeleyChildReader(executable: Binary.tool, timeLimitSeconds: 20).read(
      path: path, kind: kind
    ) { records.append($0) }
    return records
  }

  @Test(
    "each flip reads to the end or is an error naming the flipped file",
    .timeLimit(.minutes(5)), arguments: [BerkeleyAccessMethod.btree, .hash])
  func sweep(method: BerkeleyAccessMethod) throws {
    let scratch = try Scratch()
    let good = scratch.path + "/good.db"
    try BerkeleyFixtureWriter.write(path: good, accessMethod: method, records: Self.records)
    let kind: CyrusDBKind = method == .btree ? .berkeleyBtree : .berkeleyHash
    let original = try scratch.read("good.db")
    let expected = try Self.read(good, kind: kind)
    #expect(expected.count == Self.records.count)
    let path = scratch.path + "/flipped.db"
    var outcomes: [String: Int] = [:]
    for offset in Self.offsets(fileSize: original.count) {
      var bytes = original
      bytes[offset] ^= 0xFF
      try Data(bytes).write(to: URL(fileURLWithPath: path))
      do {
        let records = try Self.read(path, kind: kind)
        outcomes[records == expected ? "read same" : "read different", default: 0] += 1
      } catch let error as CyrusDatabaseError {
        #expect(error.path == path, "offset \(offset): \(error)")
        outcomes["error", default: 0] += 1
      }
    }
    #expect(outcomes["read same", default: 0] > 0, "\(outcomes)")
    #expect(outcomes["read different", default: 0] > 0, "\(outcomes)")
    #expect(outcomes["error", default: 0] > 0, "\(outcomes)")
  }
}
