import Testing

@testable import CyrusFormats

@Suite("MailboxEntry from mailboxes.db")
struct MailboxEntryTests {
  @Test func parsesTwoTwoTextValue() throws {
    let e = try MailboxEntry(
      name: MailboxName("user.fred"), value: ascii("0 default fred\tlrswipcda\tanyone\tlr\t"))
    #expect(e.type == MailboxType())
    #expect(e.type.raw == .number(0))
    #expect(e.partition == "default")
    #expect(e.server == nil)
    #expect(e.acl.tabSeparated == "fred\tlrswipcda\tanyone\tlr\t")
    #expect(e.uniqueID == nil)
  }

  @Test func parsesRemoteTextValueAndEmptyACL() throws {
    let e = try MailboxEntry(name: MailboxName("user.joe"), value: ascii("1 backend2!default"))
    #expect(e.type.flags == [.remote])
    #expect(e.server == "backend2")
    #expect(e.partition == "default")
    #expect(e.acl.entries.isEmpty)
  }

  @Test func parsesTransitionalValue() throws {
    let e = try MailboxEntry(
      name: MailboxName("user.fred"),
      value: ascii("(uniqueid 4b3c1a2f specialuse \\Sent) 0 default fred\tlrs\t"))
    #expect(e.uniqueID == "4b3c1a2f")
    #expect(e.legacySpecialUse == "\\Sent")
    #expect(e.partition == "default")
    #expect(e.acl.entries.count == 1)
  }

  @Test func parsesTwoFiveDlistValue() throws {
    let v =
      "%(A %(fred lrswipkxtecda anyone lr) I 0fb87c3a4b3c1a2f P default T dc V 1199145600 F 7 M 1400000000)"
    let e = try MailboxEntry(name: MailboxName("user.fred.Cal"), value: ascii(v))
    #expect(e.type == MailboxType(kind: .calendar, flags: [.deleted]))
    #expect(e.uniqueID == "0fb87c3a4b3c1a2f")
    #expect(e.uidValidity == 1_199_145_600)
    #expect(e.folderModseq == 7)
    #expect(e.createdModseq == 0)
    #expect(e.mtime == 1_400_000_000)
    #expect(e.acl == ACL(tabSeparated: "fred\tlrswipkxtecda\tanyone\tlr\t"))
  }

  @Test func parsesThreeSixNameRecord() throws {
    let key = ascii("Nuser\u{1F}fred\u{1F}My Folder")
    let value = ascii(
      "%(T el I 5d1c P default V 1700000000 C 1 F 4 M 1700000001 A %(fred lrswipkxtecdan))")
    guard
      case .mailbox(let e) = try MailboxEntry.parseRecord(
        key: key, value: value, layout: .keyspaces36)
    else {
      Issue.record("not a mailbox")
      return
    }
    #expect(e.name == MailboxName("user.fred.My Folder"))
    #expect(e.dbname == Array(key.dropFirst()))
    #expect(e.type.cyrus36Letters == "el")
    #expect(e.createdModseq == 1)
    #expect(e.nameHistory.isEmpty)
  }

  @Test func parsesThreeSixUniqueIDRecordWithHistory() throws {
    let value = ascii(
      "%(T e N user\u{1F}fred\u{1F}New P default V 5 M 9 A %(fred lr) H (%(N user\u{1F}fred\u{1F}Old M 8 V 5 T e P default)))"
    )
    guard
      case .uniqueIDRecord(let e) = try MailboxEntry.parseRecord(
        key: ascii("I5d1c"), value: value, layout: .keyspaces36)
    else {
      Issue.record("not an I record")
      return
    }
    #expect(e.uniqueID == "5d1c")
    #expect(e.name == MailboxName("user.fred.New"))
    #expect(
      e.nameHistory == [
        MailboxEntry.FormerName(
          name: MailboxName("user.fred.Old"), mtime: 8, uidValidity: 5, partition: "default")
      ])
  }

  @Test func tombstoneHasNoPartitionAndEmptyACL() throws {
    guard
      case .mailbox(let e) = try MailboxEntry.parseRecord(
        key: ascii("Nuser\u{1F}x\u{1F}Old"), value: ascii("%(T ed I u1 V 3 C 1 F 4 M 5)"),
        layout: .keyspaces36)
    else {
      Issue.record("not a mailbox")
      return
    }
    #expect(e.partition == nil)
    #expect(e.acl.entries.isEmpty)
    #expect(e.type.isPlaceholder)
  }

  @Test func skipsReverseACLAndVersionKeys() throws {
    #expect(
      try MailboxEntry.parseRecord(
        key: ascii("AU\u{1E}fred\u{1E}user\u{1F}fred"), value: [], layout: .keyspaces36)
        == .ignored(ascii("AU\u{1E}fred\u{1E}user\u{1F}fred")))
    #expect(
      try MailboxEntry.parseRecord(key: ascii("$RACL"), value: ascii("1"), layout: .byName)
        == .ignored(ascii("$RACL")))
    #expect(
      try MailboxEntry.parseRecord(key: ascii("$RUNQ"), value: ascii("1"), layout: .keyspaces36)
        == .ignored(ascii("$RUNQ")))
    #expect(throws: MailboxEntryError.self) {
      try MailboxEntry.parseRecord(key: ascii("Xfoo"), value: ascii("%()"), layout: .keyspaces36)
    }
    #expect(throws: MailboxEntryError.self) {
      try MailboxEntry.parseRecord(key: [], value: ascii("%()"), layout: .byName)
    }
  }

  @Test func byNameLayoutTakesKeysStartingWithNAsNames() throws {
    guard
      case .mailbox(let e) = try MailboxEntry.parseRecord(
        key: ascii("News"), value: ascii("0 default "), layout: .byName)
    else {
      Issue.record("not a mailbox")
      return
    }
    #expect(e.name == MailboxName("News"))
  }

  @Test func guessesLayout() {
    #expect(MailboxEntry.guessLayout(key: ascii("$RACL"), value: []) == .byName)
    #expect(
      MailboxEntry.guessLayout(key: ascii("Nuser\u{1F}x"), value: ascii("%(T e P default)"))
        == .keyspaces36)
    #expect(MailboxEntry.guessLayout(key: ascii("News"), value: ascii("%(A %() P default)")) == nil)
    #expect(MailboxEntry.guessLayout(key: ascii("News"), value: ascii("0 default ")) == .byName)
    #expect(MailboxEntry.guessLayout(key: ascii("Inbox"), value: ascii("%(P default)")) == .byName)
    #expect(MailboxEntry.guessLayout(key: ascii("Inbox"), value: ascii("0 default ")) == .byName)
    #expect(
      MailboxEntry.guessLayout(key: ascii("Iu1"), value: ascii("%(T e N user\u{1F}x)"))
        == .keyspaces36)
    #expect(
      MailboxEntry.guessLayout(key: ascii("user.fred"), value: ascii("0 default ")) == .byName)
  }

  static let badValues: [(String, MailboxEntryError.Kind)] = [
    ("", .badValue), ("default fred\tlr\t", .badValue), ("0default", .badValue),
    ("4096 default", .badMailboxType), ("%(T e", .badDlist), ("%(T q)", .badMailboxType),
    ("%(V 12x)", .badNumber), ("%(V 4294967296)", .badNumber), ("(uniqueid x", .badValue),
    ("(NIL)", .badValue), ("%(NIL x)", .badDlist), ("%(A x) junk", .badDlist),
  ]

  @Test(arguments: badValues)
  func rejectsBadValues(value: String, kind: MailboxEntryError.Kind) {
    do {
      _ = try MailboxEntry(name: MailboxName("x"), value: ascii(value))
      Issue.record("accepted \(value)")
    } catch let e as MailboxEntryError {
      #expect(e.kind == kind)
    } catch {
      Issue.record("unexpected \(error)")
    }
  }
}
