import Foundation

/// What `scripts/make-corpus-22.py` writes (its `build_instance`; the tables in
/// corpora/README.md, "Cyrus 2.2 instances"), as the expectation of what a Cyrus 3.6 failover
/// serves after the upgrade. Written here from the script's data, never read back from what
/// a server serves; sizes, dates and contents come from the 2.2 root's own message files.
enum Model22 {
  static let users = ["alice", "bob", "carol"]
  static let admin = "cyrus"
  /// `T0`, 2005-01-01: mailbox `n` of the script is created `n` hours later, which is its
  /// uidvalidity.
  static let t0 = 1_104_537_600

  /// One mailbox of the model.
  struct Mailbox {
    var name: String
    var hours: Int
    /// As stored: 2.2 rights letters (`c`, `d`), which 3.6 keeps and reads as `kx`, `te`.
    var acl: [String: String]
    var quotaRoot: String?
    /// The live messages: UID and flags (system flags, user flags by name).
    var messages: [(uid: Int, flags: [String])]
    /// `last_uid` of the index (expunged UIDs included).
    var lastUID: Int

    var uidValidity: Int { Model22.t0 + hours * 3600 }
    var uniqueID: String { Model22.uniqueID(name: name, uidValidity: uidValidity) }
    /// The mailbox's directory in the 2.2 spool (hashimapspool: first letter after the dot).
    var directory: String {
      let part = name.split(separator: ".", maxSplits: 1).last.map(String.init) ?? name
      let letter = part.first.map { $0.isLowercase ? String($0) : "q" } ?? "q"
      return letter + "/" + name.replacingOccurrences(of: ".", with: "/")
    }
  }

  static func owner(_ user: String) -> [String: String] { [user: "lrswipcda"] }

  static let mailboxes: [Mailbox] = [
    Mailbox(
      name: "user.alice", hours: 1, acl: owner("alice"), quotaRoot: "user.alice",
      messages: [
        (1, ["\\Answered"]), (2, ["\\Flagged"]), (4, ["$Label1"]), (5, ["$Label1", "NonJunk"]),
        (6, ["\\Deleted"]),
      ], lastUID: 7),
    Mailbox(
      name: "user.alice.Sent", hours: 2, acl: owner("alice"), quotaRoot: "user.alice",
      messages: [(1, ["\\Answered"]), (2, [])], lastUID: 2),
    Mailbox(
      name: "user.alice.Archive", hours: 3, acl: owner("alice"), quotaRoot: "user.alice",
      messages: [(1, [])], lastUID: 1),
    Mailbox(
      name: "user.alice.Archive.2004", hours: 4, acl: owner("alice"), quotaRoot: "user.alice",
      messages: [(1, ["\\Flagged"]), (2, [])], lastUID: 2),
    Mailbox(
      name: "user.alice.Drafts", hours: 5, acl: owner("alice"), quotaRoot: "user.alice",
      messages: [], lastUID: 0),
    Mailbox(
      name: "user.alice.Entw&APw-rfe", hours: 6, acl: owner("alice"), quotaRoot: "user.alice",
      messages: [(1, ["\\Draft"])], lastUID: 1),
    Mailbox(
      name: "user.bob", hours: 7, acl: owner("bob").merging(["alice": "lrs"]) { a, _ in a },
      quotaRoot: nil, messages: [(1, []), (3, []), (4, ["\\Answered", "\\Flagged"]), (5, [])],
      lastUID: 5),
    Mailbox(
      name: "user.bob.My Folder", hours: 8, acl: owner("bob"), quotaRoot: nil,
      messages: [(1, [])], lastUID: 1),
    Mailbox(
      name: "user.carol", hours: 9, acl: owner("carol"), quotaRoot: "user.carol",
      messages: [(1, []), (2, []), (3, [])], lastUID: 3),
    Mailbox(
      name: "user.carol.Trash", hours: 10, acl: owner("carol"), quotaRoot: "user.carol",
      messages: [(1, ["\\Deleted"]), (2, ["\\Deleted", "\\Flagged"])], lastUID: 2),
    Mailbox(
      name: "shared.news", hours: 11, acl: ["anyone": "lrs", "cyrus": "lrswipcda"],
      quotaRoot: nil, messages: [(1, []), (2, [])], lastUID: 2),
  ]

  /// The seen databases as 2.2 left them (alice's log applied): user → mailbox → seen UIDs.
  /// 2.2 keeps the owner's own \Seen there too; ranges span expunged UIDs.
  static let seen: [String: [String: String]] = [
    "alice": [
      "user.alice": "1:4", "user.alice.Sent": "1:2", "user.alice.Archive": "1",
      "user.alice.Archive.2004": "1", "user.bob": "1",
    ],
    "bob": ["user.bob": "1:3", "shared.news": "1:2", "user.bob.My Folder": "1"],
    "carol": ["user.carol": "1:2", "user.carol.Trash": "1:2"],
  ]

  /// The subscription files (internal names).
  static let subscriptions: [String: [String]] = [
    "alice": [
      "user.alice", "user.alice.Sent", "user.alice.Archive", "user.alice.Archive.2004",
      "user.alice.Entw&APw-rfe", "user.bob", "shared.news",
    ],
    "bob": ["user.bob", "user.bob.My Folder", "shared.news"],
    "carol": ["user.carol", "user.carol.Trash"],
  ]

  /// Quota limits, KiB.
  static let quotaLimits = ["user.alice": 10240, "user.carol": 2048]

  /// `mailbox_make_uniqueid` [2.2.13 cyrus/imap/mailbox.c:247-258]: the name hashed (times 251
  /// plus each signed char, modulo a prime), then the uidvalidity, as 8 hex digits each.
  static func uniqueID(name: String, uidValidity: Int) -> String {
    let prime: Int64 = 2_147_484_043
    var value: Int64 = 0
    for byte in name.utf8 {
      value = (value * 251 + Int64(Int8(bitPattern: byte))) % prime
      if value < 0 { value += prime }
    }
    func hex8(_ n: Int64) -> String {
      let digits = String(n, radix: 16)
      return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }
    return hex8(value) + hex8(Int64(uidValidity) & 0xFFFF_FFFF)
  }

  /// A sequence set as a set of UIDs (`1:3,5`).
  static func uids(_ set: String) -> Set<Int> {
    var out: Set<Int> = []
    for part in set.split(separator: ",") {
      let bounds = part.split(separator: ":").compactMap { Int($0) }
      guard let low = bounds.first, let high = bounds.last, low <= high else { continue }
      out.formUnion(low...high)
    }
    return out
  }

  /// UIDs as the shortest sequence set (`1:2,4`), as `state` prints them.
  static func sequenceSet(_ uids: Set<Int>) -> String {
    var parts: [String] = []
    var sorted = uids.sorted()[...]
    while let first = sorted.popFirst() {
      var last = first
      while sorted.first == last + 1 { last = sorted.removeFirst() }
      parts.append(first == last ? "\(first)" : "\(first):\(last)")
    }
    return parts.joined(separator: ",")
  }

  /// What a user sees in LSUB: their own mailboxes as `INBOX…`, the others by name.
  static func view(_ name: String, by user: String) -> String {
    let own = "user." + user
    if name == own { return "INBOX" }
    if name.hasPrefix(own + ".") { return "INBOX" + name.dropFirst(own.count) }
    return name
  }
}
