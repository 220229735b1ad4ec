import Foundation

extension LiveCyrusInstance {
  /// Delivers `count` generated messages over LMTP, each to every user of `to` in one
  /// transaction (Cyrus hard-links one file into each mailbox); returns their Message-IDs.
  /// A `folder` receives mail only when it grants `anyone` the right `p`, as on any Cyrus.
  @discardableResult
  public func deliver(
    to recipients: [String], count: Int = 1, folder: String? = nil, size: Int = 0,
    subject: String? = nil
  ) throws -> [String] {
    var arguments = [
      "deliver", root, recipients.joined(separator: ","), "--count", String(count), "--size",
      String(size),
    ]
    if let folder { arguments += ["--folder", folder] }
    if let subject { arguments += ["--subject", subject] }
    return try CyrusInstanceScript.must(arguments).split(separator: "\n").map(String.init)
  }

  /// Carries out `actions` in order in one IMAP session as `user` (the admin is ``admin``);
  /// returns what they print (the UID of each append).
  @discardableResult
  public func imap(_ user: String, _ actions: [ImapAction]) throws -> [String] {
    let words = actions.map(\.arguments).joined(separator: ["--"])
    return try CyrusInstanceScript.must(["imap", root, user] + words).split(separator: "\n")
      .map(String.init)
  }

  /// Uploads a Sieve script for `user` over ManageSieve (and makes it the active one).
  public func putSieveScript(user: String, name: String, script: String, activate: Bool = true)
    throws
  {
    let file = try TemporaryDirectory(prefix: "cyrus-live-sieve")
    let path = file.path + "/script.sieve"
    try Data(script.utf8).write(to: URL(fileURLWithPath: path))
    try CyrusInstanceScript.must(
      ["sieve", root, user, name, path] + (activate ? ["--activate"] : []))
  }

  /// `user`'s Sieve scripts as ManageSieve lists them, and which one is active. The login
  /// writes: timsieved creates `user.USER.#sieve` and moves sievedir scripts into it.
  public func sieveScripts(user: String) throws -> [(name: String, active: Bool)] {
    try CyrusInstanceScript.must(["sieve-list", root, user]).split(separator: "\n").map {
      let fields = $0.split(separator: "\t")
      return (String(fields.first ?? ""), fields.last == "active")
    }
  }

  /// What the instance serves over IMAP and ManageSieve (`state`; what it includes is in
  /// corpora/README.md, "Test instances"). `modseq: false` leaves out HIGHESTMODSEQ and
  /// MODSEQ, `content: false` the Message-ID and SHA-1 of each message.
  public func state(users: [String]? = nil, content: Bool = true, modseq: Bool = true) throws
    -> ServedState
  {
    var arguments = ["state", root]
    if let users { arguments += ["--users", users.joined(separator: ",")] }
    if !content { arguments.append("--no-content") }
    if !modseq { arguments.append("--no-modseq") }
    return try ServedState(text: CyrusInstanceScript.must(arguments))
  }

  /// The file of message `uid` of a mailbox (internal name), found through the mailbox's
  /// uniqueid in `state` (3.6's uuid spool layout: partition/uuid/c1/c2/uniqueid/uid.).
  public func messageFile(mailbox: String, uid: Int, in state: ServedState) throws -> String {
    guard let id = state.mailbox(mailbox)?["mailboxid"] as? String, id.count > 2,
      let spool = info.areas["partition-default"]
    else { throw ProcessFailure(description: "\(root): no uniqueid of \(mailbox) in the state") }
    return "\(spool)/uuid/\(id.prefix(1))/\(id.dropFirst().prefix(1))/\(id)/\(uid)."
  }

  /// Copies this instance's data areas over `other`'s with `rsync -aH --delete` (the
  /// procedure's essence, hard links kept), area by area by role; both should be stopped.
  /// etc/, run/ and instance.json stay each instance's own.
  public func copyDataAreas(to other: LiveCyrusInstance) throws {
    for (role, source) in dataAreas {
      guard let destination = other.info.areas[role] else {
        throw ProcessFailure(description: "\(other.root) has no \(role) area")
      }
      try CyrusInstanceScript.program(["rsync", "-aH", "--delete", source + "/", destination + "/"])
    }
  }
}

/// One change over IMAP (`cyrus-instance.py imap … ACTION`). Mailbox names are the user's
/// view: `INBOX`, `INBOX.Sent`, `user.bert.Shared`, `shared.news`.
public enum ImapAction: Sendable {
  case create(String)
  case delete(String)
  case rename(String, to: String)
  case subscribe(String)
  case unsubscribe(String)
  /// UID STORE: `operation` is `+FLAGS`, `-FLAGS` or `FLAGS`; `uids` a UID set (`1:3,5`).
  case store(String, uids: String, operation: String, flags: [String])
  /// \Deleted on those UIDs, then UID EXPUNGE.
  case expunge(String, uids: String)
  /// APPEND a generated message of about `size` bytes; prints its UID.
  case append(String, flags: [String] = [], size: Int = 0, subject: String? = nil)
  case setACL(String, identifier: String, rights: String)
  case deleteACL(String, identifier: String)
  /// SETQUOTA (as the admin): resource → limit, e.g. `["STORAGE": 5120]`.
  case setQuota(root: String, limits: [String: Int])

  /// The words the script takes.
  public var arguments: [String] {
    switch self {
    case .create(let name): return ["create", name]
    case .delete(let name): return ["delete", name]
    case .rename(let name, let new): return ["rename", name, new]
    case .subscribe(let name): return ["subscribe", name]
    case .unsubscribe(let name): return ["unsubscribe", name]
    case .store(let name, let uids, let operation, let flags):
      return ["store", name, uids, operation] + flags
    case .expunge(let name, let uids): return ["expunge", name, uids]
    case .append(let name, let flags, let size, let subject):
      return ["append", name, "--flags", flags.joined(separator: ","), "--size", String(size)]
        + (subject.map { ["--subject", $0] } ?? [])
    case .setACL(let name, let identifier, let rights):
      return ["setacl", name, identifier, rights]
    case .deleteACL(let name, let identifier): return ["deleteacl", name, identifier]
    case .setQuota(let root, let limits):
      return ["setquota", root] + limits.keys.sorted().flatMap { [$0, String(limits[$0] ?? 0)] }
    }
  }
}
