import CyrusFormats
import Foundation
import TestSupport
import Testing

/// Why each step of the recipe is there: what 3.6 does without it, or with a bad input.
extension Upgrade22To36Tests {
  /// 3.6's `ctl_mboxlist -u` skips an entry it cannot load, says so on standard error only,
  /// and exits 0. A missing partition is reported as "missing mbtype" (3.6.1
  /// imap/ctl_mboxlist.c:897). Both the message and the read-back find each skipped entry.
  @Test func rejectedDumpLinesAreFoundOnStandardErrorAndByTheReadBack() throws {
    let pair = try Pair(users: [])
    let recipe = pair.recipe
    try recipe.takeOwnership()
    _ = try recipe.keepAside()
    let dump = try recipe.convert()
    let damaged = dump.map { entry -> MailboxEntry in
      var entry = entry
      if entry.name.internalName == "user.bob" { entry.uniqueID = nil }
      if entry.name.internalName == "user.carol.Trash" { entry.partition = nil }
      return entry
    }
    let bad = pair.directory.path + "/aside/damaged.json"
    try Data(MailboxListDump.json36Document(damaged)).write(to: URL(fileURLWithPath: bad))

    let stderr = try recipe.importDump(bad)  // exits 0
    #expect(stderr.contains("missing uniqueid for user.bob\n"))
    #expect(stderr.contains("missing mbtype for user.carol.Trash\n"))
    #expect(stderr.split(separator: "\n").count == 2, "\(stderr)")
    #expect(
      Upgrade22To36.differences(dump: dump, readBack: try recipe.readBack()) == [
        "user.bob: not imported", "user.carol.Trash: not imported",
      ])
  }

  /// Without `reconstruct -V max` 3.6 serves the minor-6 indexes as they are (the owner's
  /// \Seen from the seen database), but they have no room for modseqs: a flag change keeps
  /// MODSEQ 0, so a CONDSTORE or QRESYNC client never sees it.
  @Test func withoutTheIndexUpgradeFlagChangesGetNoModseq() throws {
    let pair = try Pair()
    let recipe = pair.recipe
    try recipe.takeOwnership()
    _ = try recipe.keepAside()
    _ = try recipe.convert()
    #expect(try recipe.importDump() == "")
    try recipe.recover()
    try recipe.recomputeQuota()
    let failover = pair.failover
    try failover.start()
    try Self.expectServesModel(try failover.state(modseq: false), primary22: pair.primary.root)
    try failover.imap(
      "carol", [.store("INBOX", uids: "3", operation: "+FLAGS", flags: ["\\Flagged"])])
    let changed = try failover.state(users: ["carol"])
    let message = try #require(changed.messages(in: "user.carol").last)
    #expect(message["flags"] as? [String] == ["\\Flagged"])
    #expect(message["modseq"] as? Int == 0)
    try failover.stop()
    #expect(try Self.indexVersions(failover) == Set([6]))
  }

  /// A Berkeley DB deliver.db left in the config directory: lmtpd cannot open it ("unable to
  /// init duplicate delivery database", exit 70), master gives up on the service, and the
  /// failover accepts no mail.
  @Test func berkeleyDeliverDBLeftInPlaceStopsDelivery() throws {
    let pair = try Pair(users: [])
    let recipe = pair.recipe
    try recipe.takeOwnership()
    #expect(try recipe.keepAside(caches: false) == ["mailboxes.db"])
    _ = try recipe.convert()
    #expect(try recipe.importDump() == "")
    try recipe.recover()
    #expect {
      try pair.failover.start(timeout: 5)
    } throws: { error in
      "\(error)".contains("waiting for lmtp")
    }
    try pair.failover.stop()
  }

  /// The import of the converted dump gives the entries 3.6's own upgrade gives (the path of
  /// its upgrade guide: the 2.2 list as a flat mailboxes.db — byte for byte the `cyrus23`
  /// dump — converted to twoskip with `cvt_cyrusdb`, upgraded by `ctl_cyrusdb -r`).
  @Test func importEqualsCyrusOwnUpgradeOfTheSameList() throws {
    let pair = try Pair(users: [])
    let recipe = pair.recipe
    try recipe.takeOwnership()
    _ = try recipe.keepAside()
    _ = try recipe.convert()
    #expect(try recipe.importDump() == "")
    let imported = try recipe.readBack()

    let flat = pair.directory.path + "/aside/mailboxes.flat"
    try TestPrograms.must([
      TestPrograms.executable, "mboxlist", "convert", "--to", "cyrus23",
      recipe.config + "/mailboxlist.txt", flat,
    ])
    try TestPrograms.must(["mv", recipe.config + "/mailboxes.db", flat + ".imported"])
    // cvt_cyrusdb opens its input for writing, as cyrus; it exits 0 when it cannot
    // ("DBERROR: Conversion failed" on standard error) and leaves no output.
    try TestPrograms.must(["chown", "cyrus:mail", flat])
    let converted = try TestPrograms.must([
      Upgrade22To36.cyrusBin + "cvt_cyrusdb", "-C", recipe.conf, flat, "flat",
      recipe.config + "/mailboxes.db", "twoskip",
    ])
    #expect(!converted.stderr.contains("DBERROR"), "\(converted.stderr)")
    try recipe.recover()
    let upgraded = try recipe.readBack()
    #expect(upgraded.count == Model22.mailboxes.count)
    #expect(Upgrade22To36.differences(dump: imported, readBack: upgraded) == [])
  }

  /// Without <configdirectory>/socket (a 2.2 host may keep its sockets under /var/run, and
  /// the copy's `--delete` then removes the failover's), imapd cannot bind its IDLE socket and
  /// loses its umask: every message file 3.6 writes is mode 0666 until the directory exists.
  @Test func withoutTheSocketDirectoryNewMessagesAreWorldWritable() throws {
    let pair = try Pair()
    try TestPrograms.must(["rm", "-r", pair.recipe.config + "/socket"])
    _ = try pair.recipe.run(socket: false)
    let carol = (pair.failover.info.areas["partition-default"] ?? "") + "/c/user/carol/"
    func deliverAndMode(uid: Int) throws -> Int? {
      try pair.failover.start()
      try pair.failover.deliver(to: ["carol"])
      try pair.failover.stop()
      let attributes = try FileManager.default.attributesOfItem(atPath: carol + "\(uid).")
      return (attributes[.posixPermissions] as? NSNumber)?.intValue
    }
    #expect(try deliverAndMode(uid: 4) == 0o666)
    try pair.recipe.ensureSocketDirectory()
    #expect(try deliverAndMode(uid: 5) == 0o600)
  }
}
