@_spi(Fixtures) import BerkeleyDB
import Foundation
import TestSupport
import Testing

/// Scratch files for one test: a fresh directory under the system temp directory.
struct TestDirectory: ~Copyable {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("BerkeleyDBTests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  func path(_ name: String) -> String { url.appendingPathComponent(name).path }

  /// The names in the directory, sorted.
  func listing() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: url.path).sorted()
  }
}

/// Cyrus 2.2 `mailboxes.db` records (cyrus-formats.md §3.1): key = internal mailbox name,
/// value = `mbtype SP partition SP acl`, ACL = `id TAB rights TAB` pairs; no NUL anywhere.
enum MailboxesFixture {
  static let records: [BerkeleyRecord] = [
    BerkeleyRecord(key: "user.anna", value: "0 default anna\tlrswipcda\t"),
    BerkeleyRecord(key: "user.anna.Sent", value: "0 default anna\tlrswipcda\t"),
    BerkeleyRecord(key: "user.anna^b", value: "0 default anna^b\tlrswipcda\t"),
    BerkeleyRecord(key: "user.bob", value: "0 default bob\tlrswipcda\tanyone\tlr\t"),
    BerkeleyRecord(key: "shared.news", value: "0 spool2 anyone\tlrs\t-bob\tr\t"),
    BerkeleyRecord(key: "user.zoe", value: "1 remote1!default zoe\tlrswipcda\t"),
    BerkeleyRecord(key: Array("user.\u{e9}mile".utf8), value: Array("0 default x\tl\t".utf8)),
    BerkeleyRecord(key: [0x75, 0x00, 0xFF, 0x5C], value: [0x00, 0x0A, 0x0D, 0x09, 0x5C, 0xFF]),
  ]

  /// `count` generated mailboxes, enough for several pages.
  static func many(_ count: Int) -> [BerkeleyRecord] {
    (0..<count).map { index in
      let name = "u" + String(index + 10_000).dropFirst()
      return BerkeleyRecord(key: "user.\(name)", value: "0 default \(name)\tlrswipcda\t")
    }
  }

  /// Bytewise key order, Berkeley DB's default BTREE comparator.
  static func sorted(_ records: [BerkeleyRecord]) -> [BerkeleyRecord] {
    records.sorted { $0.key.lexicographicallyPrecedes($1.key) }
  }
}

/// Reading and damaging files.
enum Files {
  static func readAll(_ path: String, expecting: BerkeleyAccessMethod? = nil) throws
    -> [BerkeleyRecord]
  {
    let database = try BerkeleyDatabase(path: path, expecting: expecting)
    var records: [BerkeleyRecord] = []
    try database.forEachRecord { records.append($0) }
    try database.close()
    return records
  }

  static func bytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  static func write(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
  }

  /// Writes a copy of `source` at `path` with `edit` applied.
  static func damagedCopy(of source: String, at path: String, _ edit: (inout [UInt8]) -> Void)
    throws
  {
    var bytes = try bytes(source)
    edit(&bytes)
    try write(bytes, to: path)
  }

  /// Stores `value` little-endian (this host's order, the order libdb wrote) at `offset`.
  static func putUInt32(_ value: UInt32, at offset: Int, in bytes: inout [UInt8]) {
    for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
  }
}

/// Runs a program, failing the test with its stderr when it exits non-zero.
enum Run {
  static let dbLoad = "/usr/bin/db5.3_load"
  static let dbDump = "/usr/bin/db5.3_dump"
  static var repositoryRoot: URL {
    // Tests/BerkeleyDBTests/TestFiles.swift → the package root (through the symlinks, too).
    URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
      .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  }

  @discardableResult
  static func program(_ path: String, _ arguments: [String], stdin: Data? = nil) throws -> (
    status: Int32, stdout: String, stderr: String
  ) {
    let result = try TestPrograms.run([path] + arguments, input: stdin.map { [UInt8]($0) } ?? [])
    return (result.status, result.stdout, result.stderr)
  }

  /// `db5.3_load -T -t TYPE -c db_pagesize=4096 -f INPUT OUTPUT`.
  static func dbLoadPrintable(_ input: String, type: String, output: String) throws {
    let result = try program(
      dbLoad, ["-T", "-t", type, "-c", "db_pagesize=4096", "-f", input, output])
    #expect(result.status == 0, "db5.3_load failed: \(result.stderr)")
  }
}

/// Asserts that `body` throws a `BerkeleyError` of `kind` naming `path`, and returns it.
@discardableResult
func expectBerkeleyError(
  _ kind: BerkeleyError.Kind, path: String, sourceLocation: SourceLocation = #_sourceLocation,
  _ body: () throws -> Void
) -> BerkeleyError? {
  do {
    try body()
    Issue.record("expected a \(kind) BerkeleyError, got success", sourceLocation: sourceLocation)
  } catch let error as BerkeleyError {
    #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
    #expect(error.path == path, sourceLocation: sourceLocation)
    return error
  } catch {
    Issue.record("expected a BerkeleyError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
