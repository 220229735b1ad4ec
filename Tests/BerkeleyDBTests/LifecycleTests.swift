@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

@Suite("Handles, cursors and the missing environment")
struct LifecycleTests {
  @Test("opening needs no environment and creates none: no __db.* or log.* files appear")
  func noEnvironment() throws {
    let directory = try TestDirectory()
    let path = directory.path("mailboxes.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree, records: MailboxesFixture.records)
    let before = try directory.listing()
    #expect(before == ["mailboxes.db"])
    let database = try BerkeleyDatabase(path: path, expecting: .btree)
    let cursor = try database.makeCursor()
    #expect(try cursor.next() != nil)
    #expect(try directory.listing() == before)
    try cursor.close()
    try database.close()
    #expect(try directory.listing() == before)
  }

  @Test("a copy whose environment directory db/ is missing or holds junk opens the same")
  func strayEnvironment() throws {
    let directory = try TestDirectory()
    let path = directory.path("mailboxes.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .hash, records: MailboxesFixture.records)
    try FileManager.default.createDirectory(
      atPath: directory.path("db"), withIntermediateDirectories: false)
    try Files.write(Array("not a region".utf8), to: directory.path("db/__db.001"))
    try Files.write(Array("not a log".utf8), to: directory.path("db/log.0000000001"))
    #expect(Set(try Files.readAll(path)) == Set(MailboxesFixture.records))
  }

  @Test("next() after the last record keeps returning nil; a cursor outlives its caller's scope")
  func cursorEnd() throws {
    let directory = try TestDirectory()
    let path = directory.path("one.db")
    let record = BerkeleyRecord(key: "user.anna", value: "0 default anna\tlrswipcda\t")
    try BerkeleyFixtureWriter.write(path: path, accessMethod: .btree, records: [record])
    let cursor = try BerkeleyDatabase(path: path).makeCursor()  // keeps the database open
    #expect(try cursor.next() == record)
    #expect(try cursor.next() == nil)
    #expect(try cursor.next() == nil)
  }

  @Test("closing the database closes its open cursors first; close is idempotent")
  func closeOrder() throws {
    let directory = try TestDirectory()
    let path = directory.path("two.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree, records: MailboxesFixture.records)
    let database = try BerkeleyDatabase(path: path)
    let first = try database.makeCursor()
    let second = try database.makeCursor()
    #expect(try first.next() != nil)
    try database.close()
    try database.close()
    try first.close()
    try second.close()
  }

  @Test("forEachRecord passes on the body's error and closes its cursor")
  func bodyError() throws {
    struct Stop: Error {}
    let directory = try TestDirectory()
    let path = directory.path("stop.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .hash, records: MailboxesFixture.many(50))
    let database = try BerkeleyDatabase(path: path)
    var seen = 0
    #expect(throws: Stop.self) {
      try database.forEachRecord { _ in
        seen += 1
        if seen == 10 { throw Stop() }
      }
    }
    #expect(seen == 10)
    var all = 0
    try database.forEachRecord { _ in all += 1 }
    #expect(all == 50)
    try database.close()
  }

  @Test("1,000 reads and 1,000 failed opens do not pile up file descriptors")
  func openCloseLoop() throws {
    let directory = try TestDirectory()
    let path = directory.path("loop.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree, records: MailboxesFixture.many(20))
    let before = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    for round in 0..<1_000 {
      var count = 0
      try BerkeleyDatabase(path: path).forEachRecord { _ in count += 1 }
      #expect(count == 20)
      #expect(throws: BerkeleyError.self) {
        _ = try BerkeleyDatabase(path: path, expecting: round % 2 == 0 ? .hash : .recno)
      }
    }
    let after = try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count
    // Other tests run in parallel and hold a few descriptors; one leak per round would be 1,000+.
    #expect(after < before + 100, "file descriptors: \(before) before, \(after) after")
  }
}
