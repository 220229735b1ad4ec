import Testing

@testable import CyrusFormats

@Suite("cyrus.header")
struct MailboxHeaderTests {
  @Test("2.2 – 3.4 text layout: quota root, uniqueid, flag slots, ACL")
  func text() throws {
    let bytes = textHeader(
      quotaRoot: "user.fred", uniqueID: "4b3c1a2f477a2b80", flags: "$Label1  Junk NonJunk ",
      acl: "fred\tlrswipcda\tanyone\tlr\t")
    let h = try MailboxHeader.parse(bytes)
    #expect(h.layout == .text)
    #expect(h.quotaRoot == "user.fred")
    #expect(h.uniqueID == "4b3c1a2f477a2b80")
    #expect(h.userFlags == ["$Label1", nil, "Junk", "NonJunk"])
    #expect(h.userFlagName(2) == "Junk")
    #expect(h.acl == ACL(tabSeparated: "fred\tlrswipcda\tanyone\tlr\t"))
    #expect(h.fileCRC == CRC32.checksum(bytes))
  }

  @Test("text layout: empty quota root, no flags; an ancient header without uniqueid")
  func textEdges() throws {
    let h = try MailboxHeader.parse(textHeader(quotaRoot: "", uniqueID: "abc", flags: "", acl: ""))
    #expect(h.quotaRoot == nil)
    #expect(h.userFlags.isEmpty)
    #expect(h.acl.entries.isEmpty)
    let old = try MailboxHeader.parse(
      textHeader(quotaRoot: "user.x", uniqueID: nil, flags: "", acl: ""))
    #expect(old.uniqueID == nil)
    #expect(old.quotaRoot == "user.x")
  }

  @Test("3.6 dlist layout with NIL slots")
  func dlist() throws {
    let bytes =
      MailboxHeader.magic
      + ascii(
        "%(T e N user.anna I ddnk486bsfk5mjgob39anziz Q user.anna A %(anna lrswipkxtecdan bert lrs) U ($Label1 NIL Junk))\n"
      )
    let h = try MailboxHeader.parse(bytes)
    #expect(h.layout == .dlist)
    #expect(h.name == "user.anna")
    #expect(h.typeLetters == "e")
    #expect(h.mailboxType?.kind == .email)
    #expect(h.uniqueID == "ddnk486bsfk5mjgob39anziz")
    #expect(h.quotaRoot == "user.anna")
    #expect(h.userFlags == ["$Label1", nil, "Junk"])
    #expect(h.acl == ACL(tabSeparated: "anna\tlrswipkxtecdan\tbert\tlrs\t"))
  }

  @Test("bad magic, truncation, malformed lines")
  func damage() throws {
    var bad = textHeader(quotaRoot: "", uniqueID: "a", flags: "", acl: "")
    bad[5] ^= 0x20
    let e1 = try #require(throws: MailboxFormatError.self) { try MailboxHeader.parse(bad) }
    #expect(e1.kind == .badMagic && e1.offset == 5)

    let short = Array(MailboxHeader.magic.prefix(40))
    let e2 = try #require(throws: MailboxFormatError.self) { try MailboxHeader.parse(short) }
    #expect(e2.kind == .truncated && e2.offset == 40)

    let full = textHeader(quotaRoot: "q", uniqueID: "u", flags: "A B", acl: "x\tlr\t")
    for cut in [MailboxHeader.magic.count, MailboxHeader.magic.count + 3, full.count - 1] {
      let e = try #require(throws: MailboxFormatError.self) {
        try MailboxHeader.parse(Array(full.prefix(cut)))
      }
      #expect(e.kind == .truncated, "cut at \(cut)")
    }

    let emptyID = MailboxHeader.magic + ascii("q\t\n\n\n")
    let e3 = try #require(throws: MailboxFormatError.self) { try MailboxHeader.parse(emptyID) }
    #expect(e3.kind == .malformed && e3.offset == MailboxHeader.magic.count + 2)

    let badDlist = MailboxHeader.magic + ascii("%(T e N\n")
    let e4 = try #require(throws: MailboxFormatError.self) { try MailboxHeader.parse(badDlist) }
    #expect(e4.kind == .malformed)
  }
}
