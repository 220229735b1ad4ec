import CyrusFormats
import Foundation
import Testing

@testable import CyrusStore

/// An imapd.conf full of problems keeps ``ImapdConf/maximumDiagnostics`` of them and counts the
/// rest in one last diagnostic, whether they are in one file or come from `@include`s of the
/// same file many times; the options around them are still read.
@Suite struct ImapdConfDiagnosticCapTests {
  static let cap = ImapdConf.maximumDiagnostics

  @Test func capIsTheDocumentedThousand() {
    #expect(Self.cap == 1000)
  }

  /// 20,000 lines that are not `key: value` and 20,000 repeats of one key, interleaved: the
  /// first thousand problems are listed in line order, the 38,999 after them are one count.
  @Test func manyBadLinesInOneFileStopAtTheCap() {
    var text = "configdirectory: /var/lib/cyrus\n"
    for line in 0..<20_000 { text += "junk line \(line)\nx: \(line)\n" }
    text += "partition-default: /var/spool/cyrus/mail\n"
    let conf = ImapdConf(parsing: Array(text.utf8), source: "imapd.conf")

    // Lines 2, 3 (the first x), 4, 5, …: the first x is an option, every other line a problem.
    let problems = 20_000 + 19_999
    #expect(conf.droppedDiagnostics == problems - Self.cap)
    #expect(conf.diagnostics.count == Self.cap + 1)
    let expectedLines = [2] + (0..<(Self.cap - 1)).map { 4 + $0 }
    #expect(conf.diagnostics.prefix(Self.cap).map(\.line) == expectedLines)
    let last = conf.diagnostics.last
    #expect(last?.source == "imapd.conf")
    #expect(last?.line == 4 + Self.cap - 1)
    #expect(last?.message == "and \(problems - Self.cap) more problems from here on, not listed")
    // Reading went on to the end: the options past the problems are there, the last x wins.
    #expect(conf["partition-default"] == "/var/spool/cyrus/mail")
    #expect(conf["x"] == "19999")
  }

  /// 63 `@include`s of one file of 100 options (the file limit is 64 files): every include
  /// after the first gives each option a second time, 6,200 "given twice" problems in all.
  @Test func includeFanOutOfRepeatedOptionsStopsAtTheCap() throws {
    let tree = try TemporaryTree()
    try #require(CyrusInstance.includeFileLimit == 64)
    try tree.makeInstance(extraConfig: String(repeating: "@include: more.conf\n", count: 63))
    let more = try tree.write(
      "etc/more.conf", (0..<100).map { "option\($0): \($0)\n" }.joined())
    let conf = try CyrusInstance.locate(tree.path).conf

    let problems = 62 * 100
    #expect(conf.droppedDiagnostics == problems - Self.cap)
    #expect(conf.diagnostics.count == Self.cap + 1)
    #expect(conf.diagnostics.allSatisfy { $0.source == more })
    #expect(
      conf.diagnostics.first?.message
        == "option 'option0' given twice (first at \(more):1); Cyrus refuses such a file, the last"
        + " value is used here")
    // The first not listed: option0 of the eleventh repeat.
    let last = conf.diagnostics.last
    #expect(last?.line == 1)
    #expect(last?.message == "and \(problems - Self.cap) more problems from here on, not listed")
    #expect(conf["option99"] == "99")
    #expect(conf["partition-default"] == "/var/spool/cyrus/mail")
  }

  /// An included file already over the cap: merged into a file with problems of its own, the
  /// total still keeps a thousand and counts every other one, the first dropped named.
  @Test func includedFileOverTheCapMergesIntoOneCount() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance(
      extraConfig: String(repeating: "not an option\n", count: 10) + "@include: bad.conf\n")
    let bad = try tree.write("etc/bad.conf", String(repeating: "junk\n", count: 1500))
    let conf = try CyrusInstance.locate(tree.path).conf

    #expect(conf.droppedDiagnostics == 10 + 1500 - Self.cap)
    #expect(conf.diagnostics.count == Self.cap + 1)
    #expect(conf.diagnostics.prefix(10).allSatisfy { $0.source == tree.path + "/etc/imapd.conf" })
    #expect(conf.diagnostics[10].source == bad && conf.diagnostics[10].line == 1)
    // bad.conf's own 991st problem is the first past the thousand.
    let last = conf.diagnostics.last
    #expect(last?.source == bad && last?.line == Self.cap - 10 + 1)
    #expect(last?.message == "and 510 more problems from here on, not listed")
  }
}
