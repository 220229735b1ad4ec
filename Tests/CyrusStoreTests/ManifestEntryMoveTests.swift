import CyrusStore
import Testing

/// `ManifestEntry.take(_:)`, which the walk and the diff use to move entries instead of
/// copying them, and the initializer whose optional fields are now set on every path.
@Suite struct ManifestEntryMoveTests {
  /// An entry with every kind of field set, the rare ones included.
  private func fullEntry() -> ManifestEntry {
    var entry = ManifestEntry(
      area: "partition-default", path: EntryPath("user/alice/1."), kind: .file, size: 42,
      mode: 0o600, uid: 7, gid: 8, owner: "cyrus", group: "mail",
      mtime: Timestamp(seconds: 1_700_000_000, nanoseconds: 5),
      linkTarget: Array("elsewhere".utf8), digest: [UInt8](repeating: 9, count: 32),
      hardLinkLeader: "partition-default:user/alice/1.", mailbox: "user.alice",
      problem: .vanished)
    entry.headerUniqueID = "0123abcd"
    return entry
  }

  @Test func takeMovesTheWholeEntryOutAndLeavesAnEmptyOne() {
    let original = fullEntry()
    var slot = original
    let taken = ManifestEntry.take(&slot)
    #expect(taken == original)
    #expect(taken.problem == .vanished)
    #expect(taken.linkTarget == Array("elsewhere".utf8))
    #expect(taken.headerUniqueID == "0123abcd")
    #expect(slot == ManifestEntry(area: "", path: .root, kind: .unknown))
    #expect(slot.isPlain)
    #expect(slot.owner == nil && slot.digest == nil && slot.mailbox == nil)
  }

  @Test func takingFromACopyLeavesTheOtherCopyAlone() {
    let original = fullEntry()
    var slot = original
    let kept = slot
    _ = ManifestEntry.take(&slot)
    #expect(kept == original)
    #expect(slot != original)
  }

  @Test func initializerSetsRareFieldsOnlyWhenGiven() {
    let plain = ManifestEntry(area: "config", path: EntryPath("a"), kind: .file)
    #expect(plain.isPlain)
    #expect(plain.owner == nil && plain.group == nil && plain.digest == nil)
    #expect(plain.mailbox == nil && plain.problem == nil && plain.linkTarget == nil)
    let link = ManifestEntry(
      area: "config", path: EntryPath("b"), kind: .symlink, linkTarget: Array("a".utf8))
    #expect(!link.isPlain)
    #expect(link.linkTarget == Array("a".utf8))
    #expect(link.problem == nil)
  }
}
