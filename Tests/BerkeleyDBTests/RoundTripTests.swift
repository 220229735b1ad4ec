@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

@Suite("Reading files written by the fixture writer and by db5.3_load")
struct RoundTripTests {
  @Test(
    "writer → reader round-trips every record; BTREE comes back in bytewise key order",
    arguments: [BerkeleyAccessMethod.btree, .hash])
  func writerRoundTrip(method: BerkeleyAccessMethod) throws {
    let directory = try TestDirectory()
    let path = directory.path("mailboxes.db")
    let records = MailboxesFixture.records + MailboxesFixture.many(300)
    try BerkeleyFixtureWriter.write(path: path, accessMethod: method, records: records)

    let database = try BerkeleyDatabase(path: path)
    #expect(database.accessMethod == method)
    #expect(database.pageSize == 4096)
    #expect(database.fileSize > 4096)
    var read: [BerkeleyRecord] = []
    try database.forEachRecord { read.append($0) }
    try database.close()

    #expect(Set(read) == Set(records))
    #expect(read.count == records.count)
    if method == .btree { #expect(read == MailboxesFixture.sorted(records)) }
  }

  @Test("BTREE order is bytewise: prefix first, '.' before '^', bytes >= 0x80 last")
  func btreeOrder() throws {
    let directory = try TestDirectory()
    let path = directory.path("order.db")
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree, records: MailboxesFixture.records.reversed())
    let keys = try Files.readAll(path).map(\.key)
    #expect(
      keys
        == [
          "shared.news", "u\0\u{ff}\\", "user.anna", "user.anna.Sent", "user.anna^b", "user.bob",
          "user.zoe", "user.\u{e9}mile",
        ].map { key in
          key == "u\0\u{ff}\\" ? [0x75, 0x00, 0xFF, 0x5C] : Array(key.utf8)
        })
  }

  @Test(
    "db5.3_load -T files (btree, hash) read back exactly, escapes decoded",
    arguments: ["btree", "hash"])
  func dbLoadRoundTrip(type: String) throws {
    let directory = try TestDirectory()
    // db_load -T: key line, value line; `\\` is a backslash, `\` + 2 hex digits a byte; TAB,
    // CR and bytes >= 0x80 are literal.
    let printable: [UInt8] =
      Array("user.anna\n0 default anna\tlrswipcda\t\n".utf8)
      + Array("user.bob\n0 default bob\tlrswipcda\tanyone\tlr\t\n".utf8)
      + Array("back\\\\slash\nhex\\41\\0a\\00z\n".utf8) + [0xC3, 0xA9, 0x0A, 0x0D, 0x0A]
      + Array("\n\n".utf8)  // empty key, empty value
    let input = directory.path("input.txt")
    try Files.write(printable, to: input)
    let path = directory.path("loaded.db")
    try Run.dbLoadPrintable(input, type: type, output: path)

    let expected: [BerkeleyRecord] = [
      BerkeleyRecord(key: "user.anna", value: "0 default anna\tlrswipcda\t"),
      BerkeleyRecord(key: "user.bob", value: "0 default bob\tlrswipcda\tanyone\tlr\t"),
      BerkeleyRecord(key: "back\\slash", value: "hexA\n\0z"),
      BerkeleyRecord(key: [0xC3, 0xA9], value: [0x0D]),
      BerkeleyRecord(key: [], value: []),
    ]
    let database = try BerkeleyDatabase(path: path)
    #expect(database.accessMethod.rawValue == type)
    try database.close()
    let read = try Files.readAll(path, expecting: type == "btree" ? .btree : .hash)
    #expect(Set(read) == Set(expected))
    #expect(read.count == expected.count)
    if type == "btree" { #expect(read == MailboxesFixture.sorted(expected)) }
  }

  @Test(
    "scripts/make-bdb-fixture.sh writes what its key<TAB>value input says",
    arguments: ["btree", "hash"])
  func fixtureScript(type: String) throws {
    let directory = try TestDirectory()
    let records =
      MailboxesFixture.records.filter { !$0.key.contains(0x0A) && !$0.value.contains(0x0A) }
      + [BerkeleyRecord(key: "back\\slash\\41", value: "v\\\\x\t\r")]
    var lines: [UInt8] = []
    for record in records { lines += record.key + [0x09] + record.value + [0x0A] }
    let input = directory.path("records.tsv")
    try Files.write(lines, to: input)
    let path = directory.path("script.db")
    let script = Run.repositoryRoot.appendingPathComponent("scripts/make-bdb-fixture.sh").path
    let result = try Run.program("/bin/sh", [script, type, input, path])
    #expect(result.status == 0, "\(result.stderr)")
    let read = try Files.readAll(path, expecting: type == "btree" ? .btree : .hash)
    #expect(Set(read) == Set(records))
    #expect(read.count == records.count)

    let again = try Run.program("/bin/sh", [script, type, input, path])
    #expect(again.status != 0, "the script must refuse an existing output")
  }

  @Test("a key or value larger than the cursor's first buffer grows it; the limit is enforced")
  func largeItems() throws {
    let directory = try TestDirectory()
    let path = directory.path("large.db")
    let big = BerkeleyRecord(
      key: [UInt8](repeating: 0x6B, count: 5000),
      value: (0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
    let records = [BerkeleyRecord(key: "a", value: "1"), big, BerkeleyRecord(key: "z", value: "2")]
    try BerkeleyFixtureWriter.write(path: path, accessMethod: .btree, records: records)
    #expect(try Files.readAll(path) == MailboxesFixture.sorted(records))

    let limited = try BerkeleyDatabase(path: path, maximumItemBytes: 100_000)
    let cursor = try limited.makeCursor()
    #expect(try cursor.next() == records[0])
    let error = expectBerkeleyError(.recordTooLarge, path: path) { _ = try cursor.next() }
    #expect(error?.code == -30999)  // DB_BUFFER_SMALL
    expectBerkeleyError(.recordTooLarge, path: path) { _ = try cursor.next() }
  }

  @Test("an empty database yields no records")
  func emptyDatabase() throws {
    let directory = try TestDirectory()
    let path = directory.path("empty.db")
    try BerkeleyFixtureWriter.write(path: path, accessMethod: .hash, records: [])
    #expect(try Files.readAll(path).isEmpty)
  }

  @Test("the writer refuses duplicate keys and existing files")
  func writerRefuses() throws {
    let directory = try TestDirectory()
    let path = directory.path("dup.db")
    let record = BerkeleyRecord(key: "k", value: "v")
    let error = expectBerkeleyError(.other, path: path) {
      try BerkeleyFixtureWriter.write(path: path, accessMethod: .btree, records: [record, record])
    }
    #expect(error?.code == -30994)  // DB_KEYEXIST
    let other = directory.path("exists.db")
    try BerkeleyFixtureWriter.write(path: other, accessMethod: .btree, records: [record])
    expectBerkeleyError(.openFailed, path: other) {
      try BerkeleyFixtureWriter.write(path: other, accessMethod: .btree, records: [record])
    }
  }
}
