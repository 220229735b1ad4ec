@_spi(Fixtures) import BerkeleyDB
import Foundation
import Testing

/// A flipped byte that libdb's own `DB->verify` cannot survive, read by this module in-process.
///
/// The sweep over every page header and every 53rd byte is not here: libdb is not memory-safe
/// on damaged input (an in-process sweep read freed memory under AddressSanitizer and once
/// crashed the test process), so it runs through the child reader, the way the verifier reads
/// every Berkeley DB file (MailboxListTests/BerkeleyFlippedByteTests.swift).
@Suite("Single flipped bytes")
struct FlippedByteTests {
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
