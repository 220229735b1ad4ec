import CyrusStore
import Testing

@Suite struct EntryPathTests {
  @Test func canonicalOrderPutsADirectoryBeforeItsContentAndSiblings() {
    let paths = ["a", "a/b", "a/b/c", "a.b", "a0", "b"].map { EntryPath($0) }
    #expect(paths.sorted() == paths)
    #expect(EntryPath("a/z") < EntryPath("a.b"))
  }

  @Test func insideIsComponentWise() {
    #expect(EntryPath("a/b").isInside(EntryPath("a")))
    #expect(!EntryPath("ab").isInside(EntryPath("a")))
    #expect(!EntryPath("a").isInside(EntryPath("a")))
    #expect(EntryPath("a").isInside(.root))
  }

  /// The order compares eight bytes at a time up to the first difference: against a byte by
  /// byte reference, for every length to 25 and every place of the first difference, with `/`
  /// on either side of it, and for every prefix.
  @Test func compareMatchesAByteByByteReference() {
    func reference(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
      for (left, right) in zip(lhs, rhs) where left != right {
        let rank = { (byte: UInt8) in byte == 0x2F ? 0 : Int(byte) + 1 }
        return rank(left) < rank(right) ? -1 : 1
      }
      return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }
    let base = (0..<25).map { UInt8(0x61 + $0) }
    var compared = 0
    for length in 0...base.count {
      let path = Array(base.prefix(length))
      for other in 0...base.count {
        let prefix = Array(base.prefix(other))
        #expect(EntryPath.compare(path, prefix) == reference(path, prefix))
        compared += 1
      }
      for place in 0..<length {
        for byte: UInt8 in [0x2F, 0x2E, 0x00, 0xFF, base[place] &+ 1] {
          var changed = path
          changed[place] = byte
          let expected = reference(path, changed)
          #expect(EntryPath.compare(path, changed) == expected, "length \(length), at \(place)")
          #expect(EntryPath.compare(changed, path) == -expected)
          compared += 2
        }
      }
    }
    #expect(compared > 3_000)
  }

  /// One more component: joined by one `/`, none after the root; bytes kept as they are, also
  /// past the temporary buffer's stack size.
  @Test func appendingJoinsWithOneSlash() {
    #expect(EntryPath.root.appending(Array("user".utf8)) == EntryPath("user"))
    #expect(EntryPath("user/a").appending(Array("1.".utf8)) == EntryPath("user/a/1."))
    #expect(EntryPath("a").appending([0xFF, 0x00, 0x2F]).bytes == [0x61, 0x2F, 0xFF, 0x00, 0x2F])
    #expect(EntryPath("a").appending([]).bytes == [0x61, 0x2F])
    let parent = [UInt8](repeating: 0x70, count: 6_000)
    let name = [UInt8](repeating: 0x6E, count: 3_000)
    let long = EntryPath(bytes: parent).appending(name)
    #expect(long.bytes == parent + [0x2F] + name)
  }

  /// `lastComponentIs` answers as comparing `lastComponent` would, on every split.
  @Test(arguments: [
    "", "cyrus.header", "a/cyrus.header", "a/b/cyrus.header", "xcyrus.header",
    "a/xcyrus.header", "cyrus.header/a", "cyrus.heade", "a/yrus.header", "a/cyrus.headerx",
    "/cyrus.header", "a/", "1.", "a/b/1.",
  ])
  func lastComponentIsMatchesLastComponent(path: String) {
    for name in ["cyrus.header", "1.", "", "a"] {
      let entry = EntryPath(path)
      let expected = entry.lastComponent.elementsEqual(Array(name.utf8))
      #expect(entry.lastComponentIs(Array(name.utf8)) == expected, "\(path) \(name)")
    }
  }

  @Test(arguments: [
    ([UInt8]("plain".utf8), "plain"),
    ([0x66, 0x0A, 0x67], "f\\x0ag"),
    ([0xC3, 0xBC], "ü"),
    ([0xFF, 0x41], "\\xffA"),
    ([0x5C], "\\\\"),
  ])
  func displayEscapesControlAndInvalidBytes(bytes: [UInt8], shown: String) {
    #expect(EntryPath(bytes: bytes).description == shown)
  }
}
