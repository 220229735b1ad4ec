@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

/// Damage tests: start from a good file, change one thing, expect a `BerkeleyError` naming the
/// path — never a crash, a hang or silently fewer records. libdb 5.3's answers are in README.md.
@Suite("Damaged and wrong inputs")
struct DamagedInputTests {
  /// 300 mailboxes at 4096-byte pages: 6 pages, 24,576 bytes (meta, then data pages).
  static func fixture(_ method: BerkeleyAccessMethod, in directory: borrowing TestDirectory)
    throws -> String
  {
    let path = directory.path("good-\(method).db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: method, records: MailboxesFixture.many(300))
    return path
  }

  @Test("a zero-length file is not a database (EINVAL, 'unexpected file type or format')")
  func zeroLength() throws {
    let directory = try TestDirectory()
    let path = directory.path("zero.db")
    try Files.write([], to: path)
    let error = expectBerkeleyError(.notADatabase, path: path) {
      _ = try BerkeleyDatabase(path: path)
    }
    #expect(error?.code == EINVAL)
    #expect(error?.operation == "DB->open")
    #expect(error?.details.contains { $0.contains("unexpected file type or format") } == true)
  }

  @Test("a text file is not a database, also when BTREE is requested")
  func textFile() throws {
    let directory = try TestDirectory()
    let path = directory.path("flat.txt")
    try Files.write(Array("user.anna\t0 default anna\tlrswipcda\t\n".utf8), to: path)
    expectBerkeleyError(.notADatabase, path: path) { _ = try BerkeleyDatabase(path: path) }
    expectBerkeleyError(.notADatabase, path: path) {
      _ = try BerkeleyDatabase(path: path, expecting: .btree)
    }
  }

  @Test(
    "cut inside a page: libdb refuses at open (size not a multiple of the page size)",
    arguments: [BerkeleyAccessMethod.btree, .hash], [100, 512, 4095, 5000, 24575])
  func truncatedInsidePage(method: BerkeleyAccessMethod, length: Int) throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(method, in: directory)
    let path = directory.path("cut.db")
    try Files.damagedCopy(of: good, at: path) { $0.removeLast($0.count - length) }
    let error = expectBerkeleyError(.notADatabase, path: path) {
      _ = try BerkeleyDatabase(path: path)
    }
    #expect(error?.code == EINVAL)
  }

  @Test(
    "cut at a page boundary: the meta page's page count disagrees with the file size",
    arguments: [BerkeleyAccessMethod.btree, .hash], [4096, 8192, 12288, 20480])
  func truncatedAtPageBoundary(method: BerkeleyAccessMethod, length: Int) throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(method, in: directory)
    let path = directory.path("cut.db")
    try Files.damagedCopy(of: good, at: path) { $0.removeLast($0.count - length) }
    let error = expectBerkeleyError(.corrupt, path: path) { _ = try Files.readAll(path) }
    #expect(error?.code == -30970)  // DB_VERIFY_BAD
    #expect(error?.details.last?.contains("the file has \(length) bytes") == true)
  }

  @Test(
    "a file cut short while it is read: the walk throws instead of ending early",
    arguments: [BerkeleyAccessMethod.btree, .hash])
  func truncatedWhileReading(method: BerkeleyAccessMethod) throws {
    let directory = try TestDirectory()
    let path = try Self.fixture(method, in: directory)
    let database = try BerkeleyDatabase(path: path)
    let cursor = try database.makeCursor()
    #expect(try cursor.next() != nil)
    #expect(truncate(path, 8192) == 0)
    let error = expectBerkeleyError(.corrupt, path: path) {
      while try cursor.next() != nil {}
    }
    #expect(error != nil)
  }

  @Test("a page appended after the last one is reported too")
  func extraPage() throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(.hash, in: directory)
    let path = directory.path("long.db")
    try Files.damagedCopy(of: good, at: path) { $0 += [UInt8](repeating: 0, count: 4096) }
    expectBerkeleyError(.corrupt, path: path) { _ = try BerkeleyDatabase(path: path) }
  }

  @Test("a BTREE leaf whose next-page link points to itself: the key order check stops the loop")
  func btreeLeafLoop() throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(.btree, in: directory)
    let path = directory.path("loop.db")
    let page = try #require(Page.first(in: try Files.bytes(good), type: Page.btreeLeaf))
    try Files.damagedCopy(of: good, at: path) { Page.linkToItself(page, in: &$0) }
    let error = expectBerkeleyError(.corrupt, path: path) { _ = try Files.readAll(path) }
    #expect(error?.details.last?.contains("does not follow") == true)
  }

  @Test("a HASH page whose next-page link points to itself: the record limit stops the loop")
  func hashChainLoop() throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(.hash, in: directory)
    let path = directory.path("loop.db")
    let page = try #require(Page.first(in: try Files.bytes(good), type: Page.hash))
    try Files.damagedCopy(of: good, at: path) { Page.linkToItself(page, in: &$0) }
    let error = expectBerkeleyError(.corrupt, path: path) { _ = try Files.readAll(path) }
    #expect(error?.details.last?.contains("records in a file of 24576 bytes") == true)
  }

  @Test("a HASH meta page claiming 16 million buckets is refused before the walk")
  func hashBucketCount() throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(.hash, in: directory)
    let path = directory.path("buckets.db")
    // HMETA: max_bucket at byte 72 (db_page.h), after the 72-byte generic DBMETA.
    try Files.damagedCopy(of: good, at: path) { $0[75] ^= 0x01 }
    let error = expectBerkeleyError(.corrupt, path: path) { _ = try BerkeleyDatabase(path: path) }
    #expect(error?.details.last?.contains("16777220 hash buckets") == true)
  }

  /// libdb 5.3 reads BTREE versions 8–9 and HASH 7–9 (Berkeley DB 4.x files) directly; older
  /// ones need `db_upgrade`, newer ones it does not know.
  @Test(
    "the meta page's format version: older needs db_upgrade, newer is unknown",
    arguments: [
      (BerkeleyAccessMethod.btree, 8, nil), (.btree, 7, BerkeleyError.Kind.unsupportedVersion),
      (.btree, 10, .notADatabase), (.hash, 7, nil), (.hash, 6, .unsupportedVersion),
      (.hash, 10, .notADatabase),
    ])
  func formatVersion(method: BerkeleyAccessMethod, version: UInt8, kind: BerkeleyError.Kind?)
    throws
  {
    let directory = try TestDirectory()
    let good = try Self.fixture(method, in: directory)
    let path = directory.path("version.db")
    #expect(try Files.bytes(good)[16] == 9)  // DB_BTREEVERSION, DB_HASHVERSION in libdb 5.3
    try Files.damagedCopy(of: good, at: path) { $0[16] = version }
    guard let kind else {
      #expect(try Files.readAll(path).count == 300)
      return
    }
    let error = expectBerkeleyError(kind, path: path) { _ = try BerkeleyDatabase(path: path) }
    #expect(error?.code == (kind == .unsupportedVersion ? -30987 : EINVAL))  // DB_OLD_VERSION
  }

  @Test(
    "a damaged magic number makes the file not a database",
    arguments: [BerkeleyAccessMethod.btree, .hash])
  func damagedMagic(method: BerkeleyAccessMethod) throws {
    let directory = try TestDirectory()
    let good = try Self.fixture(method, in: directory)
    let path = directory.path("magic.db")
    try Files.damagedCopy(of: good, at: path) { $0[12] ^= 0xFF }
    expectBerkeleyError(.notADatabase, path: path) { _ = try BerkeleyDatabase(path: path) }
  }
}

/// Berkeley DB page header fields (db_page.h `PAGE`, little-endian on this host): `pgno` at 8,
/// `next_pgno` at 16, `entries` at 20, `type` at 25.
enum Page {
  static let size = 4096
  static let btreeLeaf: UInt8 = 5  // P_LBTREE
  static let hash: UInt8 = 13  // P_HASH

  /// The first page of `type` holding entries (`entries`, 2 bytes at 20).
  static func first(in bytes: [UInt8], type: UInt8) -> Int? {
    (1..<bytes.count / size).first { page in
      let base = page * size
      return bytes[base + 25] == type && (bytes[base + 20] != 0 || bytes[base + 21] != 0)
    }
  }

  static func linkToItself(_ page: Int, in bytes: inout [UInt8]) {
    Files.putUInt32(UInt32(page), at: page * size + 16, in: &bytes)
  }
}
