import Foundation
import TestSupport

/// The mail a live-instance test puts into a primary, over the wire as clients would: LMTP
/// deliveries (one to three recipients, so single-instance hard links exist), folders made,
/// renamed and deleted, \Seen and \Flagged set by owners and by a user a folder is shared with,
/// subscriptions, ACLs, a shared mailbox the admin posts to, a quota and a Sieve script.
enum LiveMailScenario {
  /// Fills `instance` (started, users anna, bert, carla).
  static func populate(_ instance: LiveCyrusInstance) throws {
    try instance.deliver(to: ["anna", "bert", "carla"], count: 2, size: 3000)
    try instance.deliver(to: ["bert"], size: 200_000, subject: "Large attachment")
    try instance.imap(
      "anna",
      [
        .create("INBOX.Projects"), .subscribe("INBOX.Projects"),
        .append("INBOX.Projects", flags: ["\\Seen", "\\Flagged"], size: 500),
        .append("INBOX.Projects", size: 800),
        .store("INBOX", uids: "1", operation: "+FLAGS", flags: ["\\Seen"]),
        .store("INBOX", uids: "2", operation: "+FLAGS", flags: ["\\Flagged", "$Label1"]),
        .setACL("INBOX.Projects", identifier: "bert", rights: "lrs"),
        .create("INBOX.Entwürfe"), .subscribe("INBOX"),
      ])
    try instance.imap(
      "bert",
      [
        .store("user.anna.Projects", uids: "1:2", operation: "+FLAGS", flags: ["\\Seen"]),
        .subscribe("user.anna.Projects"), .create("INBOX.Old"), .subscribe("INBOX.Old"),
        .append("INBOX.Old", size: 100), .delete("INBOX.Old"),
        .create("INBOX.Temp"), .rename("INBOX.Temp", to: "INBOX.Kept"),
        .expunge("INBOX", uids: "1"),
      ])
    try instance.imap(
      instance.admin,
      [
        .create("shared.news"), .setACL("shared.news", identifier: "anyone", rights: "lrs"),
        .setACL("shared.news", identifier: instance.admin, rights: "lrswipkxtecda"),
        .append("shared.news", size: 300), .append("shared.news", size: 400),
        .setQuota(root: "user.carla", limits: ["STORAGE": 5120, "MESSAGE": 100]),
      ])
    try instance.imap(
      "carla", [.store("shared.news", uids: "2", operation: "+FLAGS", flags: ["\\Seen"])])
    try instance.putSieveScript(user: "anna", name: "filter", script: sieveScript)
    try instance.deliver(to: ["anna"], subject: "Monthly report")  // filed by the script
  }

  /// anna's script: mail whose subject says "report" goes to INBOX.Projects.
  static let sieveScript = """
    require ["fileinto"];
    if header :contains "subject" "report" { fileinto "INBOX.Projects"; }

    """
}
