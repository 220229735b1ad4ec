import CyrusStore
import Testing

@testable import Remote

/// State summaries with their items, and the header uniqueid, across the entry encoding.
@Suite struct StateItemsCodecTests {
  static let entries: [ManifestEntry] = {
    var seen = ManifestEntry(
      area: "config", path: EntryPath("user/uuid/a/b/ab1/seen.db"), kind: .file)
    seen.stateSummary = StateSummary(
      kind: .seen, records: 2, digest: "0011223344556677", problem: nil,
      items: [
        StateItem(key: Array("m9l4".utf8), value: "last UID 4, seen 1:2"),
        StateItem(key: Array("x7".utf8), value: "last UID 0, seen nothing"),
      ])
    var subscriptions = ManifestEntry(
      area: "config", path: EntryPath("user/uuid/a/b/ab1/sub.db"), kind: .file)
    subscriptions.stateSummary = StateSummary(
      kind: .subscriptions, records: 1, digest: "8899aabbccddeeff", problem: nil,
      items: [StateItem(key: Array("NINBOX\u{1F}Sent".utf8), value: "")],
      subscriptionLayout: .version2)
    var overLimit = ManifestEntry(area: "config", path: EntryPath("user/z/zed.sub"), kind: .file)
    overLimit.stateSummary = StateSummary(
      kind: .subscriptions, records: 20_000, digest: "ffeeddccbbaa9988", problem: nil,
      subscriptionLayout: .legacy)
    var header = ManifestEntry(
      area: "partition-default", path: EntryPath("uuid/a/b/ab1/cyrus.header"), kind: .file,
      mailbox: "user.anna")
    header.headerUniqueID = "ab1"
    return [seen, subscriptions, overLimit, header]
  }()

  @Test func itemsAndHeaderUniqueIDRoundTrip() throws {
    let bytes = ProtocolTests.encode(Self.entries)
    #expect(
      try EntryDecoder.decodeAll(bytes, baseOffset: 0, count: Self.entries.count) == Self.entries)
  }

  @Test func itemCountOverTheLimitIsRefused() throws {
    var bytes = ProtocolTests.encode([Self.entries[1]])
    // The item block ends the entry: layout byte 2, count + 1 = 2, then the one item.
    let item = Array("NINBOX\u{1F}Sent".utf8)
    let tail = [2, 2, UInt8(item.count)] + item + [0]
    #expect(Array(bytes.suffix(tail.count)) == tail)
    bytes.removeLast(tail.count)
    var out = ByteWriter()
    out.byte(2)
    out.varint(StateSummary.maxItems + 2)
    bytes += out.bytes
    do {
      _ = try EntryDecoder.decodeAll(bytes, baseOffset: 0, count: 1)
      Issue.record("an item count over the limit must throw")
    } catch {
      #expect(error.kind == .tooLarge)
    }
  }
}
