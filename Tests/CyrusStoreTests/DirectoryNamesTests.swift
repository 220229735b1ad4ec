import Foundation
import Testing

@testable import CyrusStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A directory's names in one buffer come out in the canonical order, each usable as a C string.
@Suite struct DirectoryNamesTests {
  /// Names that sort differently bytewise than as text, prefixes of each other, and not UTF-8.
  static let names: [[UInt8]] = [
    Array("10.".utf8), Array("1.".utf8), Array("2.".utf8), Array("cyrus.header".utf8),
    Array("cyrus.index".utf8), Array("cyrus.indexes".utf8), Array("a".utf8), Array("B".utf8),
    [0xC3, 0xA4], [0xFF, 0x41], [0x80], Array("a b".utf8), Array(".hidden".utf8),
    Array(String(repeating: "x", count: 255).utf8),
  ]

  @Test func readListsEveryNameInCanonicalOrder() throws {
    let tree = try TemporaryTree()
    let directory = open(tree.path, O_RDONLY | O_DIRECTORY)
    try #require(directory >= 0)
    defer { close(directory) }
    for name in Self.names {
      let fd = name.withCString { openat(directory, $0, O_CREAT | O_WRONLY, 0o600) }
      try #require(fd >= 0)
      close(fd)
    }
    guard case .success(let listed) = DirectoryNames.read(fd: directory) else {
      Issue.record("not listed")
      return
    }
    var read: [[UInt8]] = []
    for index in 0..<listed.count {
      listed.withName(index) { name, cName in
        read.append(Array(name))
        #expect(strlen(cName) == name.count)
      }
    }
    #expect(read == Self.names.sorted { $0.lexicographicallyPrecedes($1) })
    for name in Self.names { #expect(listed.contains(name)) }
    #expect(!listed.contains(Array("cyrus".utf8)))
    #expect(!listed.contains(Array("cyrus.headers".utf8)))
    #expect(!listed.contains([]))
  }

  @Test func givenNamesAreSortedAndSearchable() {
    let names = DirectoryNames(Self.names)
    var seen: [[UInt8]] = []
    names.forEach { seen.append(Array($0)) }
    #expect(seen == Self.names.sorted { $0.lexicographicallyPrecedes($1) })
    #expect(names.contains(where: { $0.first == 0xFF }))
    #expect(DirectoryNames.empty.count == 0)
    #expect(!DirectoryNames.empty.contains(Array("a".utf8)))
  }
}
