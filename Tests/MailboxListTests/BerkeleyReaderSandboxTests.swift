import BerkeleyDB
import CyrusFormats
import CyrusStore
import Foundation
import Processes
import Remote
import Testing

/// The `read-berkeley-db` child puts its sandbox on itself before it reads (limits, and as root
/// the identity of `nobody` with no groups), and still reads the file it was given as a
/// descriptor: every record of a db5.3_load file, also one only root may open.
@Suite struct BerkeleyReaderSandboxTests {
  /// The records of ``BerkeleyDumpTests/records`` as the reader gives them.
  static var expected: Set<CyrusDBRecord> {
    Set(
      BerkeleyDumpTests.records.map {
        CyrusDBRecord(key: Array($0.0.utf8), value: Array($0.1.utf8))
      })
  }

  /// Every record, through the child with its default sandbox.
  static func records(_ path: String, _ method: BerkeleyAccessMethod) throws -> [CyrusDBRecord] {
    var records: [CyrusDBRecord] = []
    try BerkeleyChildReader(executable: Binary.tool).read(
      path: path, kind: method == .hash ? .berkeleyHash : .berkeleyBtree
    ) { records.append($0) }
    return records
  }

  @Test(arguments: [BerkeleyAccessMethod.btree, .hash])
  func sandboxedChildGivesTheExactRecords(method: BerkeleyAccessMethod) throws {
    #expect(BerkeleyChildReader(executable: Binary.tool).sandbox != nil)
    let scratch = try Scratch()
    let path = try BerkeleyDumpTests.make(method, with: .dbLoad, in: scratch)
    let records = try Self.records(path, method)
    #expect(records.count == BerkeleyDumpTests.records.count)
    #expect(Set(records) == Self.expected)
    if method == .btree {
      #expect(records.map(\.key) == records.map(\.key).sorted { $0.lexicographicallyPrecedes($1) })
    }
  }

  /// A file that only root may open, in a directory only root may enter: the child, `nobody`
  /// by the time it reads, reads it through the descriptor its parent opened.
  @Test(
    .enabled(if: geteuid() == 0, "only root can give a file nobody may open"),
    arguments: [BerkeleyAccessMethod.btree, .hash])
  func fileOnlyRootMayOpenIsRead(method: BerkeleyAccessMethod) throws {
    let scratch = try Scratch()
    let path = try BerkeleyDumpTests.make(method, with: .dbLoad, in: scratch)
    #expect(chown(path, 0, 0) == 0 && chmod(path, 0o600) == 0)
    #expect(chmod(scratch.path, 0o700) == 0)
    #expect(Set(try Self.records(path, method)) == Self.expected)
  }

  /// With `CYRUS_FAILOVER_TEST_BERKELEY_READER=report-sandbox` the child writes the kernel's
  /// view of its identity and limits (/proc/self/status, /proc/self/limits) instead of reading.
  @Test func childReportsItsSandbox() throws {
    let scratch = try Scratch()
    let path = try BerkeleyDumpTests.make(.btree, with: .dbLoad, in: scratch)
    let reader = BerkeleyChildReader(
      executable: Binary.tool,
      environment: Invocation.minimalEnvironment.merging(
        ["CYRUS_FAILOVER_TEST_BERKELEY_READER": "report-sandbox"]) { $1 })
    let error = #expect(throws: CyrusDatabaseError.self) {
      try reader.read(path: path, kind: .berkeleyBtree) { _ in }
    }
    // Standard error, with its newlines escaped (`Terminal.safe`).
    let lines = Set((error?.reason ?? "").components(separatedBy: "\\x0a"))
    let limits = [
      "Max core file size 0 0 bytes", "Max file size 0 0 bytes",
      "Max address space \(512 << 20) \(512 << 20) bytes", "Max cpu time 600 605 seconds",
    ]
    #expect(BerkeleyChildReader.addressSpaceBytes == 512 << 20)
    #expect(BerkeleyChildReader.cpuSeconds == 600)
    for line in limits + ["NoNewPrivs: 1"] {
      #expect(lines.contains(line), "\(line) in \(lines.sorted())")
    }
    guard geteuid() == 0 else { return }
    let nobody = try #require(getpwnam("nobody")).pointee
    let (uid, gid) = (nobody.pw_uid, nobody.pw_gid)
    for line in ["Uid: \(uid) \(uid) \(uid) \(uid)", "Gid: \(gid) \(gid) \(gid) \(gid)", "Groups:"]
    {
      #expect(lines.contains(line), "\(line) in \(lines.sorted())")
    }
    // Not dumpable: its /proc files belong to root, not to the user it runs as.
    #expect(lines.contains("ProcSelfOwner: 0"), "\(lines.sorted())")
  }
}
