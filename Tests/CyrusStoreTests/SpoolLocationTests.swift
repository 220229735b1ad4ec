import CyrusFormats
import Testing

@testable import CyrusStore

/// The examples of §5.1 of the formats reference (partition-relative).
@Suite struct SpoolLocationTests {
  @Test(arguments: [
    ("user.fred", "user/fred", "f/user/fred"),
    ("user.fred.Sent", "user/fred/Sent", "f/user/fred/Sent"),
    ("shared.news.x", "shared/news/x", "n/shared/news/x"),
    // dir_hash_c lowercases first ([3.6.1 lib/util.c] `c = tolower(*name)`), so "Archive" hashes
    // to "a"; the formats reference's table says "q" there, which the source contradicts.
    ("Archive", "Archive", "a/Archive"),
    ("1stQuarter", "1stQuarter", "q/1stQuarter"),
    ("example.com!user.fred", "domain/example.com/user/fred", "domain/e/example.com/f/user/fred"),
    ("user.john^doe", "user/john^doe", "j/user/john^doe"),
    ("DELETED.user.fred.4B3C1A2F", "DELETED/user/fred/4B3C1A2F", "u/DELETED/user/fred/4B3C1A2F"),
  ])
  func legacyDirectories(name: String, plain: String, hashed: String) {
    #expect(
      SpoolLocation(hashed: false, fullHash: false).legacyDirectory(of: name) == EntryPath(plain))
    #expect(
      SpoolLocation(hashed: true, fullHash: false).legacyDirectory(of: name) == EntryPath(hashed))
  }

  @Test func fullDirHashIsTheShiftXorHashOfTheFirstComponent() {
    // dir_hash_c with fulldirhash: n = ((n << 3) ^ (n >> 5)) ^ c over "fred", 'A' + n % 23.
    var n: UInt32 = 0
    for byte in "fred".utf8 { n = ((n << 3) ^ (n >> 5)) ^ UInt32(byte) }
    let letter = String(UnicodeScalar(UInt8(0x41 + n % 23)))
    #expect(
      SpoolLocation(hashed: true, fullHash: true).legacyDirectory(of: "user.fred.Sent")
        == EntryPath("\(letter)/user/fred/Sent"))
  }

  @Test func uniqueIDLayoutOnlyForThe36KeyspacesWithoutLegacyFlag() throws {
    var entry = MailboxEntry(name: MailboxName("user.anna"))
    entry.uniqueID = "3ql0wq0fpcbwrrgbpl8nylu3"
    let location = SpoolLocation(hashed: true, fullHash: false)
    #expect(
      location.directory(of: entry, layout: .keyspaces36)
        == EntryPath("uuid/3/q/3ql0wq0fpcbwrrgbpl8nylu3"))
    #expect(location.directory(of: entry, layout: .byName) == EntryPath("a/user/anna"))
    entry.type = try MailboxType(letters: "el")
    #expect(location.directory(of: entry, layout: .keyspaces36) == EntryPath("a/user/anna"))
  }

  @Test(arguments: ["user...", "user.a/b", "user.x\u{1}y", "../etc"])
  func unsafeNamesGetNoPath(name: String) {
    let entry = MailboxEntry(name: MailboxName(name))
    #expect(
      SpoolLocation(hashed: false, fullHash: false).directory(of: entry, layout: .byName) == nil)
  }
}
