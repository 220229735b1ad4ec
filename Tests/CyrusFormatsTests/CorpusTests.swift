import Foundation
import Testing

@testable import CyrusFormats

/// Files written by a real Cyrus 3.6.1 (Debian 12, `cyrus-imapd 3.6.1-4+deb12u5`) in
/// corpora/cyrusdb/, each with the `cyr_dbtool … show` output of the same database next to it.
enum Corpus {
  static let directory: String = {
    // …/Tests/CyrusFormatsTests/CorpusTests.swift → repository root.
    let here = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
    return here.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("corpora/cyrusdb").path
  }()

  static func file(_ name: String) throws -> [UInt8] {
    let data = try #require(
      FileManager.default.contents(atPath: directory + "/" + name), "missing corpus file \(name)")
    return [UInt8](data)
  }

  /// `cyr_dbtool show` prints `key TAB value LF` per record, unescaped.
  static func show(_ name: String) throws -> [CyrusDBRecord] {
    try file(name).split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { line in
      let tab = try #require(line.firstIndex(of: 0x09))
      return CyrusDBRecord(key: Array(line[..<tab]), value: Array(line[(tab + 1)...]))
    }
  }

  /// Reads a database with the backend its magic names.
  static func records(_ name: String) throws -> (CyrusDBKind, [CyrusDBRecord], CyrusDBScanSummary) {
    let bytes = try file(name)
    let kind = CyrusDBKind.detect(bytes.prefix(CyrusDBKind.prefixLength))
    let result: (records: [CyrusDBRecord], summary: CyrusDBScanSummary)
    switch kind {
    case .twoskip: result = try TwoskipReader(bytes).allRecords()
    case .skiplist: result = try SkiplistReader(bytes).allRecords()
    default: result = try FlatReader(bytes).allRecords()
    }
    return (kind, result.records, result.summary)
  }
}

@Suite("Real Cyrus 3.6.1 files")
struct CorpusTests {
  static let databases: [(String, CyrusDBKind)] = [
    ("mailboxes.twoskip", .twoskip), ("mailboxes.skiplist", .skiplist), ("mailboxes.flat", .flat),
    ("bert.seen.twoskip", .twoskip), ("annotations.twoskip", .twoskip), ("anna.sub.flat", .flat),
    ("bert.sub.flat", .flat),
  ]

  @Test(arguments: databases)
  func readerMatchesCyrDbtoolShow(name: String, kind: CyrusDBKind) throws {
    let (detected, records, summary) = try Corpus.records(name + ".db")
    #expect(detected == kind)
    #expect(records == (try Corpus.show(name + ".show.txt")))
    #expect(summary.warnings == [])
    #expect(summary.recordCount == records.count)
    #expect(records.count > 0)
  }

  @Test func twoskipFilesAreFullyCovered() throws {
    for name in ["mailboxes.twoskip.db", "bert.seen.twoskip.db", "annotations.twoskip.db"] {
      let reader = try TwoskipReader(try Corpus.file(name))
      let layout = try reader.verifyLayout()
      #expect(layout.records >= Int(reader.header.numRecords), "\(name)")
      #expect(layout.commits >= 1, "\(name)")
    }
  }

  @Test func threeBackendsHoldTheSameRecords() throws {
    let twoskip = try Corpus.records("mailboxes.twoskip.db").1
    #expect(try Corpus.records("mailboxes.skiplist.db").1 == twoskip)
    #expect(try Corpus.records("mailboxes.flat.db").1 == twoskip)
  }

  /// N records printed as `ctl_mboxlist -d` prints them reproduce the dump byte for byte.
  @Test(arguments: ["mailboxes.twoskip.db", "mailboxes.skiplist.db", "mailboxes.flat.db"])
  func nameRecordsPrintAsTheJSONDump(name: String) throws {
    var entries: [MailboxEntry] = []
    var uniqueIDRecords = 0
    for record in try Corpus.records(name).1 {
      #expect(MailboxEntry.guessLayout(key: record.key, value: record.value) != .byName)
      switch try MailboxEntry.parseRecord(
        key: record.key, value: record.value, layout: .keyspaces36)
      {
      case .mailbox(let e) where !e.type.flags.contains(.intermediate): entries.append(e)
      case .uniqueIDRecord: uniqueIDRecords += 1
      default: break
      }
    }
    let dump = try Corpus.file("mailboxlist.txt")
    #expect(
      String(decoding: MailboxListDump.json36Document(entries), as: UTF8.self)
        == String(decoding: dump, as: UTF8.self))
    #expect(uniqueIDRecords > 0)
    #expect(entries.allSatisfy { $0.name.isSafeAsPath })
  }

  @Test func jsonDumpParsesToTheSameEntries() throws {
    let dump = try Corpus.file("mailboxlist.txt")
    let (format, parsed) = try MailboxListDump.parse(dump)
    #expect(format == .cyrus36)
    let fromDB = try Corpus.records("mailboxes.twoskip.db").1.compactMap { r -> MailboxEntry? in
      guard
        case .mailbox(var e) = try MailboxEntry.parseRecord(
          key: r.key, value: r.value, layout: .keyspaces36)
      else { return nil }
      e.dbname = nil
      return e
    }
    #expect(parsed == fromDB)
    #expect(try MailboxListDump.parseJSONDocument(dump) == parsed)
    #expect(parsed.contains { $0.type.flags.contains(.deleted) })
    #expect(parsed.contains { $0.name.isDeleted() })
    // Every dbname round-trips through the internal name.
    for e in parsed { #expect(MailboxName(dbname: e.name.dbname()) == e.name) }
  }

  /// Every stored dlist value prints back to its exact bytes (atoms, quoted names with SP).
  @Test func dlistValuesReprintByteForByte() throws {
    let values = try Corpus.records("mailboxes.twoskip.db").1.map(\.value)
    #expect(values.contains { $0.contains(UInt8(ascii: "\"")) })
    for value in values { #expect(try Dlist.parse(value).printed() == value) }
  }

  @Test func subscriptionsAndSeenValues() throws {
    let subs = try Corpus.records("anna.sub.flat.db").1
    #expect(subs.first?.key == Array("\u{1F}VER\u{1F}".utf8))
    #expect(subs.first?.value == Array("2".utf8))
    let seen = try Corpus.records("bert.seen.twoskip.db").1
    #expect(seen.allSatisfy { $0.value.starts(with: Array("1 ".utf8)) })
  }
}
