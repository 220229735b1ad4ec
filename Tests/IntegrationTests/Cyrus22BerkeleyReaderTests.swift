import Foundation
import Testing

/// `verify` reads a 2.2 Berkeley DB mailboxes.db in a child process: a child that crashes, or a
/// damaged file, is an error naming the file (exit 2), never a consistent result.
@Suite struct Cyrus22BerkeleyReaderTests {
  @Test func crashingReaderIsReportedForEachSide() throws {
    let pair = try Cyrus22Pair()
    let result = try Tool.run([
      "/usr/bin/env", "CYRUS_FAILOVER_TEST_BERKELEY_READER=crash-after-first-record",
      Tool.executable, "verify", "--no-progress", "--primary", pair.primary, "--failover",
      pair.failover,
    ])
    #expect(result.status == 2, "\(result.stdout) \(result.stderr)")
    #expect(result.stdout.contains("COULD NOT VERIFY"))
    #expect(!result.stdout.contains("consistent"))
    for side in [pair.primary, pair.failover] {
      #expect(
        result.stdout.contains(
          side + "/var/lib/cyrus/mailboxes.db (berkeleyBtree): libdb crashed reading this file "
            + "(signal 11, SIGSEGV): the file is damaged"), "\(result.stdout)")
    }
  }

  @Test func truncatedMailboxesDBIsUnreadable() throws {
    let pair = try Cyrus22Pair()
    let path = pair.failover + "/var/lib/cyrus/mailboxes.db"
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    try bytes.prefix(4096).write(to: URL(fileURLWithPath: path))
    let result = try pair.verify()
    #expect(result.status == 2)
    #expect(result.findings.contains { $0.hasPrefix("mailboxes-db.unreadable") }, "\(result)")
    let dump = try Tool.run([
      Tool.executable, "mboxlist", "dump", "--db", path, "--format", "cyrus22",
    ])
    #expect(dump.status == 2)
    #expect(dump.stderr.contains(path) && dump.stderr.contains("DB_VERIFY_BAD"), "\(dump.stderr)")
  }
}
