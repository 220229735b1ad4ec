import Crypto
import CyrusFormats
import Foundation
import TestSupport
import Testing

/// A Cyrus 2.2 instance (`make-corpus-22.py`: Berkeley DB mailboxes.db, minor-6 indexes,
/// skiplist seen and flat subscription files, quotalegacy, a Sieve script, Berkeley caches)
/// copied into a real Cyrus 3.6 failover, upgraded by the recipe of
/// docs/formats/upgrade-22-to-36.md, and read back over IMAP and ManageSieve. One test at a
/// time: each runs a master of its own.
@Suite(.serialized)
struct Upgrade22To36Tests {
  /// A 2.2 root with every optional part, and a stopped 3.6 failover for its users.
  struct Pair {
    let directory: TemporaryDirectory
    let primary: LiveCyrusInstance
    let failover: LiveCyrusInstance
    let recipe: Upgrade22To36

    init(users: [String] = Model22.users) throws {
      directory = try TemporaryDirectory(prefix: "c22")
      let root = directory.path + "/primary"
      try CyrusInstanceScript.must(["create-22", root, "--sieve", "--berkeley-caches"])
      primary = try LiveCyrusInstance(root: root)
      failover = try LiveCyrusInstance.create(named: "failover", users: users, in: directory.path)
      recipe = try Upgrade22To36(failover: failover, aside: directory.path + "/aside")
      try recipe.copy(from: primary)
    }
  }

  @Test func recipeServesEveryMailboxMessageSeenStateSubscriptionAndQuota() throws {
    let pair = try Pair()
    let recipe = pair.recipe
    try recipe.takeOwnership()
    try recipe.ensureSocketDirectory()
    #expect(try recipe.keepAside() == ["deliver.db", "mailboxes.db", "tls_sessions.db"])

    let dump = try recipe.convert()
    #expect(dump.count == Model22.mailboxes.count)
    #expect(dump.allSatisfy { $0.type.cyrus36Letters == "el" && $0.uniqueID != nil })
    #expect(try recipe.importDump() == "", "ctl_mboxlist -u rejected lines")
    #expect(Upgrade22To36.differences(dump: dump, readBack: try recipe.readBack()) == [])

    try recipe.recover()
    let upgraded = try recipe.upgradeIndexes()
    for box in Model22.mailboxes {
      #expect(upgraded.contains("Converted \(box.name) version 6 to 17"), "\(upgraded)")
    }
    #expect(try Self.indexVersions(recipe.failover) == Set([17]))
    try recipe.recomputeQuota()

    let failover = pair.failover
    try failover.start()
    let state = try failover.state(modseq: false)
    try Self.expectServesModel(state, primary22: pair.primary.root)

    // Sieve: lmtpd compiles the 2.2 script anew (its bytecode is version 3) and files by it;
    // a ManageSieve login then moves the source into user.alice.#sieve, still active.
    try failover.deliver(to: ["alice"], subject: "Monthly report")
    let filed = try failover.state(users: ["alice"], modseq: false)
    #expect(filed.messages(in: "user.alice.Archive").count == 2)
    #expect(filed.messages(in: "user.alice").count == 5)
    let scripts = try failover.sieveScripts(user: "alice")
    #expect(scripts.map(\.name) == ["filter"] && scripts.map(\.active) == [true])
    let source = try Data(
      contentsOf: URL(fileURLWithPath: pair.primary.root + "/var/spool/sieve/a/alice/filter.script")
    )
    let sieve = try failover.state(users: ["alice"], modseq: false)
    let listed = (sieve.document["users"] as? [String: Any])?["alice"] as? [String: Any]
    #expect(
      (listed?["sieve"] as? [[String: Any]])?.first?["sha1"] as? String
        == Insecure.SHA1.hash(data: source).map { String(format: "%02x", $0) }.joined())

    // The upgraded indexes carry modseqs: a flag change is seen by CONDSTORE.
    try failover.imap(
      "carol", [.store("INBOX", uids: "3", operation: "+FLAGS", flags: ["\\Flagged"])])
    let changed = try failover.state(users: ["carol"])
    #expect((changed.messages(in: "user.carol").last?["modseq"] as? Int ?? 0) > 0)
    try failover.stop()
  }

  /// Every cyrus.index minor version in the failover's spool.
  static func indexVersions(_ instance: LiveCyrusInstance) throws -> Set<UInt32> {
    let spool = instance.info.areas["partition-default"] ?? "/nonexistent"
    var versions: Set<UInt32> = []
    let walker = FileManager.default.enumerator(atPath: spool)
    while let relative = walker?.nextObject() as? String {
      guard relative.hasSuffix("/cyrus.index") else { continue }
      let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: spool + "/" + relative)))
      versions.insert(try IndexHeader.parse(bytes).version.minor)
    }
    return versions
  }
}
