@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

/// Damaged databases and dumps, and names Cyrus never creates: exit status 2 with the file and
/// the place in the message, never a crash, never a silent skip.
@Suite struct DamageTests {
  static let twoskip = Binary.repository + "/corpora/cyrusdb/mailboxes.twoskip.db"

  /// Runs `mboxlist dump --format cyrus36` (or the given arguments) and checks exit 2 with
  /// `fragments` in the message.
  static func expectError(
    _ arguments: [String], _ fragments: [String], sourceLocation: SourceLocation = #_sourceLocation
  ) throws {
    let result = try Binary.tool(arguments)
    #expect(
      result.status == 2, "\(arguments): \(result.stdout) \(result.stderr)",
      sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, sourceLocation: sourceLocation)
    for fragment in fragments {
      #expect(
        result.stderr.contains(fragment), "\(fragment) not in: \(result.stderr)",
        sourceLocation: sourceLocation)
    }
  }

  @Test func truncatedTwoskip() throws {
    let scratch = try Scratch()
    let bytes = try repositoryFile("corpora/cyrusdb/mailboxes.twoskip.db")
    for cut in [1, 15, 16, 20, 60, 63, 64, 100, 335, 336, 1000, bytes.count / 2, bytes.count - 1] {
      let path = try scratch.write("cut\(cut).db", Array(bytes.prefix(cut)))
      let result = try Binary.tool([
        "mboxlist", "dump", "--db", path, "--backend", "twoskip", "--format", "cyrus36",
      ])
      #expect(result.status == 2, "cut at \(cut): \(result.stderr)")
      #expect(result.stderr.contains(path), "cut at \(cut): \(result.stderr)")
      #expect(result.stdout.isEmpty)
    }
  }

  @Test func flippedBytesInTwoskipAreNamedWithOffset() throws {
    let scratch = try Scratch()
    let bytes = try repositoryFile("corpora/cyrusdb/mailboxes.twoskip.db")
    // Every 97th byte after the 64-byte header, one at a time: a CRC or pointer must catch it.
    var checked = 0
    for offset in stride(from: 64, to: bytes.count, by: 97) {
      var damaged = bytes
      damaged[offset] ^= 0x5A
      let path = try scratch.write("flip.db", damaged)
      let result = try Binary.tool(["mboxlist", "dump", "--db", path, "--format", "cyrus36"])
      if result.status == 0 { continue }  // padding bytes covered by no check
      #expect(result.status == 2, "flip at \(offset): \(result.stderr)")
      #expect(result.stderr.contains(path))
      #expect(
        result.stderr.contains("offset 0x") || result.stderr.contains("record"), "\(result.stderr)")
      checked += 1
    }
    #expect(checked > 10)
  }

  @Test func zeroLengthFile() throws {
    let scratch = try Scratch()
    let path = try scratch.write("empty.db", [])
    // Auto-detected: an empty file is an empty flat database, a valid empty mailbox list.
    let auto = try Binary.tool(["mboxlist", "dump", "--db", path, "--format", "cyrus36"])
    #expect(auto.status == 0)
    #expect(auto.stdout == "{\n\n}\n")
    // Forced to a backend with a header: an error naming the file.
    for backend in ["twoskip", "skiplist", "berkeley"] {
      try Self.expectError(
        ["mboxlist", "dump", "--db", path, "--backend", backend, "--format", "cyrus23"], [path])
    }
  }

  @Test func berkeleyFileOfTheWrongType() throws {
    let scratch = try Scratch()
    let btree = scratch.path + "/btree.db"
    try BerkeleyFixtureWriter.write(
      path: btree, accessMethod: .btree,
      records: [
        BerkeleyRecord(
          key: Array("user.anna".utf8), value: Array("0 default anna\tlrswipcda\t".utf8))
      ])
    try Self.expectError(
      ["mboxlist", "dump", "--db", btree, "--backend", "berkeley-hash", "--format", "cyrus22"],
      [btree, "berkeley"])
    // A cyrus file forced through Berkeley DB, and the reverse.
    try Self.expectError(
      ["mboxlist", "dump", "--db", Self.twoskip, "--backend", "berkeley", "--format", "cyrus22"],
      [Self.twoskip])
    try Self.expectError(
      ["mboxlist", "dump", "--db", btree, "--backend", "skiplist", "--format", "cyrus22"], [btree])
  }

  @Test func truncatedBerkeleyFile() throws {
    let scratch = try Scratch()
    let path = scratch.path + "/full.db"
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree,
      records: (0..<200).map {
        BerkeleyRecord(
          key: Array("user.u\($0)".utf8), value: Array("0 default u\($0)\tlrswipcda\t".utf8))
      })
    let bytes = try scratch.read("full.db")
    for cut in [8, 100, 4096, bytes.count - 4096, bytes.count - 1]
    where cut > 0 && cut < bytes.count {
      let damaged = try scratch.write("cut\(cut).db", Array(bytes.prefix(cut)))
      let result = try Binary.tool(["mboxlist", "dump", "--db", damaged, "--format", "cyrus22"])
      #expect(result.status == 2, "cut \(cut): \(result.stderr)")
      #expect(result.stderr.contains(damaged), "cut \(cut): \(result.stderr)")
    }
  }

  @Test func unknownBytesAreNotAMailboxList() throws {
    let scratch = try Scratch()
    let path = try scratch.write("junk.db", (0..<300).map { UInt8(truncatingIfNeeded: $0 &* 37) })
    try Self.expectError(["mboxlist", "dump", "--db", path, "--format", "cyrus36"], [path])
  }

  @Test func malformedDumpLinesNameLineAndColumn() throws {
    let scratch = try Scratch()
    let cases: [(String, String, [String])] = [
      ("nolf.txt", "user.anna\tdefault\tanna\tlrs\t", ["line 1", "unexpectedEnd"]),
      (
        "notab.txt", "user.anna\t0 default anna\tlrs\t\nuser.bert no tab here\n",
        ["line 2", "column"]
      ),
      (
        "badtype.txt", "user.anna\t0 default\tanna\tlrs\t\nuser.bert\tx default\tbert\tlrs\t\n",
        ["line 2, column 11", "badMailboxType"]
      ),
      (
        "json.txt", "{\n\"user.anna\": {\"name\": \"user.anna\", \"mbtype\": \"e\"\n}\n",
        ["line 2", "badJSON"]
      ),
      (
        "jsonend.txt",
        "{\n\"user.anna\": {\"name\": \"user.anna\", \"mbtype\": \"e\", \"partition\": \"default\", \"acl\": {}},\n",
        ["line", "unexpectedEnd"]
      ),
    ]
    for (name, text, fragments) in cases {
      let path = try scratch.write(name, text)
      try Self.expectError(["mboxlist", "convert", "--to", "cyrus23", path], [path] + fragments)
      try Self.expectError(
        ["mboxlist", "check", "--db", Self.twoskip, "--dump", path], [path] + fragments)
    }
  }

  @Test func unsafeNamesInDumpsAreRefusedWithTheirLine() throws {
    let scratch = try Scratch()
    for (label, name) in [
      ("dotdot", "user.anna..x"), ("slash", "user.anna/../../etc"), ("control", "user.an\u{1}na"),
      ("leading", ".user.anna"),
    ] {
      let path = try scratch.write(
        "\(label).txt", "user.bert\tdefault\tbert\tlrs\t\n\(name)\tdefault\tanna\tlrs\t\n")
      try Self.expectError(
        ["mboxlist", "convert", "--to", "cyrus23", path], [path, "line 2", "Cyrus never creates"])
      let json = try scratch.write(
        "\(label).json",
        "{\n\"\(name.replacingOccurrences(of: "\u{1}", with: "\\u0001"))\": {\"name\": \"x\", \"mbtype\": \"e\", \"partition\": \"default\", \"acl\": {}, \"uniqueid\": \"u1\"}\n}\n"
      )
      try Self.expectError(
        ["mboxlist", "convert", "--to", "cyrus22", json], [json, "line 2", "Cyrus never creates"])
    }
  }

  @Test(arguments: [BerkeleyAccessMethod.btree, .hash])
  func unsafeNamesInDatabasesAreRefusedWithTheirKey(method: BerkeleyAccessMethod) throws {
    let scratch = try Scratch()
    for (label, name) in [
      ("dotdot", "user.anna..x"), ("slash", "user/../anna"), ("control", "user.an\nna"),
      ("tab", "user.an\tna"),
    ] {
      let path = scratch.path + "/\(label).db"
      try BerkeleyFixtureWriter.write(
        path: path, accessMethod: method,
        records: [
          BerkeleyRecord(key: Array("user.bert".utf8), value: Array("0 default bert\tlrs\t".utf8)),
          BerkeleyRecord(key: Array(name.utf8), value: Array("0 default anna\tlrs\t".utf8)),
        ])
      try Self.expectError(
        ["mboxlist", "dump", "--db", path, "--format", "cyrus22"],
        [path, "record with key", "Cyrus never creates"])
    }
  }

  @Test func unreadableValueStopsTheDump() throws {
    let scratch = try Scratch()
    let path = scratch.path + "/bad.db"
    try BerkeleyFixtureWriter.write(
      path: path, accessMethod: .btree,
      records: [
        BerkeleyRecord(key: Array("user.anna".utf8), value: Array("default anna\tlrs\t".utf8)),
        BerkeleyRecord(key: Array("user.bert".utf8), value: Array("0 default bert\tlrs\t".utf8)),
      ])
    try Self.expectError(
      ["mboxlist", "dump", "--db", path, "--format", "cyrus22"],
      [path, "user.anna", "not readable"])
  }

  @Test func usageErrorsExitTwo() throws {
    try Self.expectError(["mboxlist", "dump", "--format", "cyrus36"], ["--instance or --db"])
    try Self.expectError(
      ["mboxlist", "dump", "--db", Self.twoskip, "--format", "cyrus99"], ["cyrus99"])
    try Self.expectError(
      ["mboxlist", "convert", "--from", "cyrus21", "--to", "cyrus36", "x"], ["cyrus21"])
    try Self.expectError(
      ["mboxlist", "dump", "--db", "/nonexistent/mailboxes.db", "--format", "cyrus36"],
      ["/nonexistent/mailboxes.db"])
  }
}
