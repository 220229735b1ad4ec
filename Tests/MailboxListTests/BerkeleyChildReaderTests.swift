@_spi(Fixtures) import BerkeleyDB
import CyrusFormats
import CyrusStore
import Foundation
import Remote
import Testing

/// Berkeley DB files read in a child process (`cyrus-failover read-berkeley-db`, started by
/// `BerkeleyChildReader`) give the records and the errors of the in-process reader, and a child
/// that crashes, hangs or sends a cut stream becomes an error naming the file.
@Suite struct BerkeleyChildReaderTests {
  /// 300 mailboxes.db records, some with every byte value, one over the 64 KiB pipe chunk.
  static let records: [BerkeleyRecord] =
    (0..<300).map {
      BerkeleyRecord(
        key: Array("user.u\($0)".utf8), value: Array("0 default u\($0)\tlrswipcda\t".utf8))
    } + [
      BerkeleyRecord(key: [0, 1, 0xFF, 0x80], value: (0...255).map { UInt8($0) }),
      BerkeleyRecord(
        key: Array("user.large".utf8), value: [UInt8](repeating: 0x61, count: 200_000)),
    ]

  static func inProcess(_ path: String) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try CyrusDatabaseFile(path: path).forEachRecord { records.append($0) }
    return records
  }

  static func throughChild(_ path: String, reader: BerkeleyChildReader? = nil) throws
    -> [CyrusDBRecord]
  {
    let file = try CyrusDatabaseFile(path: path)
    var records: [CyrusDBRecord] = []
    try (reader ?? BerkeleyChildReader(executable: Binary.tool)).read(
      path: path, kind: file.kind
    ) { records.append($0) }
    return records
  }

  @Test(arguments: [BerkeleyAccessMethod.btree, .hash])
  func childGivesTheInProcessRecords(method: BerkeleyAccessMethod) throws {
    let scratch = try Scratch()
    let path = scratch.path + "/mailboxes.db"
    try BerkeleyFixtureWriter.write(path: path, accessMethod: method, records: Self.records)
    let expected = try Self.inProcess(path)
    #expect(expected.count == Self.records.count)
    #expect(try Self.throughChild(path) == expected)
  }

  @Test(arguments: [BerkeleyAccessMethod.btree, .hash], BerkeleyDumpTests.Maker.allCases)
  func childReadsWhatDbLoadWrites(method: BerkeleyAccessMethod, maker: BerkeleyDumpTests.Maker)
    throws
  {
    let scratch = try Scratch()
    let path = try BerkeleyDumpTests.make(method, with: maker, in: scratch)
    #expect(try Self.throughChild(path) == Self.inProcess(path))
  }

  /// A damaged file gives, through the child, the error text of the in-process reader.
  @Test func damagedFileGivesTheInProcessError() throws {
    let scratch = try Scratch()
    try BerkeleyFixtureWriter.write(
      path: scratch.path + "/full.db", accessMethod: .btree, records: Self.records)
    let bytes = try scratch.read("full.db")
    for cut in [4096, bytes.count - 4096] {
      let damaged = try scratch.write("cut\(cut).db", Array(bytes.prefix(cut)))
      let direct = #expect(throws: CyrusDatabaseError.self) { try Self.inProcess(damaged) }
      let child = #expect(throws: CyrusDatabaseError.self) { try Self.throughChild(damaged) }
      #expect(child?.path == damaged)
      #expect(child?.kind == direct?.kind)
      #expect(child?.reason == direct?.reason, "cut \(cut)")
    }
  }

  /// A reader that crashes after its first record: the caller got that record, then an error
  /// naming the file and the signal; `mboxlist dump` exits 2 with it.
  @Test func crashingChildIsAnErrorNamingTheFile() throws {
    let scratch = try Scratch()
    let path = scratch.path + "/mailboxes.db"
    try BerkeleyFixtureWriter.write(path: path, accessMethod: .hash, records: Self.records)
    let result = try Binary.run([
      "/usr/bin/env", "CYRUS_FAILOVER_TEST_BERKELEY_READER=crash-after-first-record", Binary.tool,
      "mboxlist", "dump", "--db", path, "--format", "cyrus22",
    ])
    #expect(result.status == 2)
    #expect(result.stdout.isEmpty)
    #expect(result.stderr.contains(path), "\(result.stderr)")
    #expect(
      result.stderr.contains("libdb crashed reading this file (signal 11, SIGSEGV)"),
      "\(result.stderr)")
  }

  /// Programs standing in for the reader: each misbehaves in one way.
  @Test(arguments: [
    ("exec sleep 30", "libdb made no progress reading this file for 1 s"),
    ("exit 0", "without its end frame (truncated stream)"),
    ("printf 'R\\377\\377\\377\\377\\0\\0\\0\\0'", "over the limit of 16777216"),
    ("printf 'X'", "unknown frame tag 0x58 at offset 0x0"),
    ("printf 'E\\0\\0\\0\\0\\0\\0\\0\\1'", "sent 0 records but counted 1"),
    ("echo 'bad page' >&2; exit 2", "bad page"),
    ("exit 3", "exited with status 3"),
    ("kill -BUS $$", "signal 7, SIGBUS"),
  ])
  func misbehavingReaderIsAnError(script: String, expected: String) throws {
    let scratch = try Scratch()
    let program = try scratch.write("reader.sh", "#!/bin/sh\n\(script)\n")
    chmod(program, 0o755)
    let path = scratch.path + "/mailboxes.db"
    try BerkeleyFixtureWriter.write(path: path, accessMethod: .btree, records: Self.records)
    let started = Date()
    let error = #expect(throws: CyrusDatabaseError.self) {
      try Self.throughChild(
        path, reader: BerkeleyChildReader(executable: program, timeLimitSeconds: 1))
    }
    #expect(error?.path == path)
    #expect(error?.reason.contains(expected) == true, "\(String(describing: error))")
    #expect(Date().timeIntervalSince(started) < 10)
  }

  /// An error thrown by the caller's body ends the child and passes through unchanged.
  @Test func callersErrorPassesThrough() throws {
    struct Stop: Error {}
    let scratch = try Scratch()
    let path = scratch.path + "/mailboxes.db"
    try BerkeleyFixtureWriter.write(path: path, accessMethod: .btree, records: Self.records)
    #expect(throws: Stop.self) {
      try BerkeleyChildReader(executable: Binary.tool).read(path: path, kind: .berkeleyBtree) {
        _ in throw Stop()
      }
    }
  }
}
