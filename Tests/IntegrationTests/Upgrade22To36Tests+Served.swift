import Crypto
import Foundation
import TestSupport
import Testing

/// What a 3.6 failover must serve of the 2.2 data: ``Model22``, with each message's size,
/// internal date and content taken from the 2.2 root's own message files.
extension Upgrade22To36Tests {
  /// Expects `state` to serve exactly the model: the mailboxes and nothing else, each one's
  /// MAILBOXID (2.2's uniqueid), UIDVALIDITY, UIDNEXT, ACL and quota roots; every message
  /// with UID, flags, size, internal date, Message-ID and SHA-1; \Seen per principal (the
  /// owner's and everyone else's from the 2.2 seen databases); LSUB per user; the quotas.
  static func expectServesModel(_ state: ServedState, primary22: String) throws {
    let spool = primary22 + "/var/spool/cyrus/mail/"
    let served = state.document["mailboxes"] as? [String: Any] ?? [:]
    #expect(Set(served.keys) == Set(Model22.mailboxes.map(\.name)))
    var used: [String: Int] = [:]
    for box in Model22.mailboxes {
      let record = try #require(state.mailbox(box.name), "\(box.name) is not served")
      #expect(record["mailboxid"] as? String == box.uniqueID, "\(box.name)")
      #expect(record["uidvalidity"] as? Int == box.uidValidity, "\(box.name)")
      #expect(record["uidnext"] as? Int == box.lastUID + 1, "\(box.name)")
      #expect(record["acl"] as? [String: String] == box.acl, "\(box.name)")
      #expect(record["quotaroots"] as? [String] == box.quotaRoot.map { [$0] } ?? [], "\(box.name)")

      let messages = state.messages(in: box.name)
      #expect(messages.compactMap { $0["uid"] as? Int } == box.messages.map(\.uid), "\(box.name)")
      for (message, expected) in zip(messages, box.messages) {
        let file = spool + box.directory + "/\(expected.uid)."
        let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
        let modified = try FileManager.default.attributesOfItem(atPath: file)[.modificationDate]
        let place = "\(box.name) UID \(expected.uid)"
        #expect(message["flags"] as? [String] == expected.flags.sorted(), "\(place)")
        #expect(message["size"] as? Int == bytes.count, "\(place)")
        #expect(
          message["internaldate"] as? Int
            == (modified as? Date).map { Int($0.timeIntervalSince1970) }, "\(place)")
        #expect(
          message["message_id"] as? String == "<\(box.uidValidity).\(expected.uid)@example.org>",
          "\(place)")
        let digest = Insecure.SHA1.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
        #expect(message["sha1"] as? String == digest, "\(place)")
        if let root = box.quotaRoot { used[root, default: 0] += bytes.count }
      }
      #expect(
        record["seen"] as? [String: String] == expectedSeen(box), "\(box.name): \\Seen per user")
    }
    for user in Model22.users {
      let expected = (Model22.subscriptions[user] ?? []).map { Model22.view($0, by: user) }
      #expect(state.subscriptions(of: user).sorted() == expected.sorted(), "LSUB of \(user)")
    }
    // 3.6 shows the resources that have a limit: 2.2's STORAGE, usage in KiB.
    let quotas = state.document["quotas"] as? [String: [String: [Int]]]
    var expectedQuotas: [String: [String: [Int]]] = [:]
    for (root, limit) in Model22.quotaLimits {
      expectedQuotas[root] = ["STORAGE": [(used[root] ?? 0) / 1024, limit]]
    }
    #expect(quotas == expectedQuotas)
  }

  /// \Seen as `state` shows it: for every principal with the right `r` (owner, `anyone`,
  /// explicit entries), the 2.2 seen UIDs that still exist; "" for one without a record.
  static func expectedSeen(_ box: Model22.Mailbox) -> [String: String] {
    let live = Set(box.messages.map(\.uid))
    var seen: [String: String] = [:]
    for principal in [Model22.admin] + Model22.users {
      let rights = (box.acl[principal] ?? "") + (box.acl["anyone"] ?? "")
      guard rights.contains("r") else { continue }
      let recorded = Model22.seen[principal]?[box.name].map(Model22.uids) ?? []
      seen[principal] = Model22.sequenceSet(recorded.intersection(live))
    }
    return seen
  }
}
