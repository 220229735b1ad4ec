import Foundation
import Processes
import TestSupport
import Testing

@testable import Failover

@Suite struct RsyncTests {
  @Test func statisticsAreReadFromARealRun() throws {
    let work = try TemporaryDirectory()
    try FileManager.default.createDirectory(
      atPath: work.path + "/src", withIntermediateDirectories: true)
    for index in 0..<3 {
      try Data(repeating: 0x61, count: 1000 + index).write(
        to: URL(fileURLWithPath: work.path + "/src/\(index)."),
        options: [])
    }
    let result = try TestPrograms.run(
      ["rsync", "-aH", "--stats", work.path + "/src/", work.path + "/dst/"])
    #expect(result.status == 0, "\(result.stderr)")
    let stats = Rsync.statistics(result.stdout)
    #expect(stats.transferredFiles == 3)
    #expect(stats.transferredBytes == 3003)
    #expect(stats.bytesSent > 3003)
  }

  @Test func thousandsSeparatorsAreRead() {
    let stats = Rsync.statistics(
      "Number of regular files transferred: 1,234\nTotal transferred file size: 12,345,678 bytes\n")
    #expect(stats.transferredFiles == 1234)
    #expect(stats.transferredBytes == 12_345_678)
  }

  /// A `cyrus.index` rewritten in place (same size) within the second pass 1 copied it: the
  /// pass arguments must still copy it (rsync compares whole seconds unless told otherwise).
  @Test func aSameSizeRewriteInTheSameSecondIsCopied() throws {
    let work = try TemporaryDirectory()
    let source = work.path + "/src"
    let destination = work.path + "/dst"
    try FileManager.default.createDirectory(atPath: source, withIntermediateDirectories: true)
    let file = source + "/cyrus.index"
    try Data("seen 1:5".utf8).write(to: URL(fileURLWithPath: file))
    try TestPrograms.must(["touch", "-d", "2026-01-01 10:00:00.100", file])
    let argv = Rsync.areaArguments(
      role: .partition, source: source, destination: destination, remote: nil, ssh: nil,
      excluded: [])
    try TestPrograms.must(argv)
    try Data("seen 1:6".utf8).write(to: URL(fileURLWithPath: file))
    try TestPrograms.must(["touch", "-d", "2026-01-01 10:00:00.600", file])
    try TestPrograms.must(argv)
    #expect(
      try String(contentsOfFile: destination + "/cyrus.index", encoding: .utf8) == "seen 1:6")
  }
}
