@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

/// 2.2-era Berkeley DB mailboxes.db files (keys `user.anna`, values `0 default anna\tlrswipcda\t`,
/// no NUL; 2.2.13 cyrus/imap/mboxlist.c:129-135, 300) made at test time, once with libdb
/// through ``BerkeleyFixtureWriter`` and once with `db5.3_load` (scripts/make-bdb-fixture.sh),
/// dumped in every 2.x format.
@Suite struct BerkeleyDumpTests {
  /// The records as a 2.2 server stores them, in no particular order.
  static let records: [(String, String)] = [
    ("user.anna", "0 default anna\tlrswipcda\t"),
    ("shared.news", "0 default anyone\tlrs\tanna\tlrswipcda\t"),
    ("user.anna.Sent", "0 default anna\tlrswipcda\t"),
    ("user.remote", "1 backend1!default remote\tlrswipcda\t"),
    ("user.bert", "0 default bert\tlrswipcda\tanna\tlr\t"),
  ]

  /// What each format prints: entries in bytewise name order.
  static let expected: [String: String] = [
    "cyrus22": """
    shared.news\tdefault\tanyone\tlrs\tanna\tlrswipcda\t
    user.anna\tdefault\tanna\tlrswipcda\t
    user.anna.Sent\tdefault\tanna\tlrswipcda\t
    user.bert\tdefault\tbert\tlrswipcda\tanna\tlr\t
    user.remote\tbackend1!default\tremote\tlrswipcda\t

    """,
    "cyrus22-debian": """
    shared.news\t0 default\tanyone\tlrs\tanna\tlrswipcda\t
    user.anna\t0 default\tanna\tlrswipcda\t
    user.anna.Sent\t0 default\tanna\tlrswipcda\t
    user.bert\t0 default\tbert\tlrswipcda\tanna\tlr\t
    user.remote\t1 backend1!default\tremote\tlrswipcda\t

    """,
    "cyrus23": """
    shared.news\t0 default anyone\tlrs\tanna\tlrswipcda\t
    user.anna\t0 default anna\tlrswipcda\t
    user.anna.Sent\t0 default anna\tlrswipcda\t
    user.bert\t0 default bert\tlrswipcda\tanna\tlr\t
    user.remote\t1 backend1!default remote\tlrswipcda\t

    """,
  ]

  enum Maker: String, CaseIterable { case libdb, dbLoad }

  /// Writes the 2.2 records as a Berkeley DB file of `method` with `maker`.
  static func make(
    _ method: BerkeleyAccessMethod, with maker: Maker, in scratch: Scratch,
    records: [(String, String)] = records
  ) throws -> String {
    let path = scratch.path + "/mailboxes.\(method).\(maker).db"
    switch maker {
    case .libdb:
      try BerkeleyFixtureWriter.write(
        path: path, accessMethod: method,
        records: records.map { BerkeleyRecord(key: Array($0.0.utf8), value: Array($0.1.utf8)) })
    case .dbLoad:
      let input = try scratch.write(
        "records.\(method).txt", records.map { "\($0.0)\t\($0.1)\n" }.joined())
      _ = try Binary.must([
        "/bin/sh", Binary.repository + "/scripts/make-bdb-fixture.sh", method.rawValue, input, path,
      ])
    }
    return path
  }

  @Test(arguments: [BerkeleyAccessMethod.btree, .hash], Maker.allCases)
  func dumpsEveryTwoTwoFormat(method: BerkeleyAccessMethod, maker: Maker) throws {
    let scratch = try Scratch()
    let db = try Self.make(method, with: maker, in: scratch)
    let backend = method == .btree ? "berkeley" : "berkeley-hash"
    for (format, text) in Self.expected.sorted(by: { $0.key < $1.key }) {
      for explicit in [nil, backend] {
        var arguments = ["mboxlist", "dump", "--db", db, "--format", format]
        if let explicit { arguments += ["--backend", explicit] }
        let result = try Binary.tool(arguments)
        #expect(result.status == 0, "\(format): \(result.stderr)")
        #expect(result.stdout == text, "\(format) \(explicit ?? "auto")")
        // mbtype 1 (REMOTE) is lost in the upstream 2.2 format and means NETNEWS to 3.6 -L.
        #expect(result.stderr.contains("user.remote"))
      }
    }
  }

  /// A dump made the way a 2.2 server would (here: by us) checks clean against its database;
  /// a Debian-format dump is checked on mbtype too.
  @Test(arguments: [BerkeleyAccessMethod.btree, .hash])
  func checkAgainstTwoTwoDump(method: BerkeleyAccessMethod) throws {
    let scratch = try Scratch()
    let db = try Self.make(method, with: .libdb, in: scratch)
    for (format, text) in Self.expected {
      let dump = try scratch.write("dump.\(format).txt", text)
      let result = try Binary.tool(["mboxlist", "check", "--db", db, "--dump", dump])
      #expect(result.status == 0, "\(format): \(result.stdout) \(result.stderr)")
    }
    let changed = Self.expected["cyrus22-debian", default: ""]
      .replacingOccurrences(of: "user.remote\t1 ", with: "user.remote\t0 ")
      .replacingOccurrences(of: "user.bert\t0 default", with: "user.bert\t0 other")
    let dump = try scratch.write("changed.txt", changed)
    let result = try Binary.tool(["mboxlist", "check", "--db", db, "--dump", dump])
    #expect(result.status == 1)
    #expect(
      Array(result.stdout.split(separator: "\n").dropLast()) == [
        "dump.mismatch user.bert partition: db default, dump other",
        "dump.mismatch user.remote mbtype: db 1, dump 0",
      ])
  }
}
