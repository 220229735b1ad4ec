@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

/// One flipped byte at a time. Cyrus's Berkeley DB files have no checksums, so most flips read
/// back as different data; the rest must be a `BerkeleyError` naming the path — never a crash
/// or a hang. (A full sweep of every byte with XOR 0xFF, 0x80 and 0x01 is in README.md.)
@Suite("Single flipped bytes")
struct FlippedByteTests {
  /// Every byte of the page headers and index areas, then every 37th byte.
  static func offsets(fileSize: Int) -> [Int] {
    (0..<fileSize).filter { $0 % Page.size < 160 || $0 % 37 == 0 }
  }

  @Test(
    "each flip reads to the end or throws a BerkeleyError for the flipped file",
    .timeLimit(.minutes(2)), arguments: [BerkeleyAccessMethod.btree, .hash])
  func sweep(method: BerkeleyAccessMethod) throws {
    let directory = try TestDirectory()
    let good = try DamagedInputTests.fixture(method, in: directory)
    let original = try Files.bytes(good)
    let path = directory.path("flipped.db")
    let expected = try Files.readAll(good)
    var outcomes: [String: Int] = [:]
    for offset in Self.offsets(fileSize: original.count) {
      var bytes = original
      bytes[offset] ^= 0xFF
      try Files.write(bytes, to: path)
      do {
        let records = try Files.readAll(path)
        outcomes[records == expected ? "read same" : "read different", default: 0] += 1
      } catch let error as BerkeleyError {
        #expect(error.path == path)
        outcomes["\(error.kind)", default: 0] += 1
      }
    }
    #expect(outcomes["read same", default: 0] > 0)
    #expect(outcomes["corrupt", default: 0] > 0)
    #expect(outcomes["notADatabase", default: 0] > 0)
  }

  @Test("offset 8180 XOR 0x01 in the BTREE file (where libdb's DB->verify aborts) reads")
  func verifyCrasher() throws {
    let directory = try TestDirectory()
    let good = try DamagedInputTests.fixture(.btree, in: directory)
    let path = directory.path("flipped.db")
    try Files.damagedCopy(of: good, at: path) { $0[8180] ^= 0x01 }
    let records = try Files.readAll(path)
    #expect(records.count == 300)
  }
}
