import ArgumentParser
import CyrusFormats
import CyrusStore
import Remote
import Verification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension CyrusFailover {
  /// `read-berkeley-db`: reads one Berkeley DB file with libdb in this process and writes its
  /// records to standard output as a `BerkeleyRecordStream`. The other commands run it as a
  /// child (`BerkeleyChildReader`), so that libdb crashing on a damaged file ends only this
  /// process; not for humans, hidden from help.
  struct ReadBerkeleyDB: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "read-berkeley-db",
      abstract: "Read one Berkeley DB file and write its records, framed, to standard output.",
      shouldDisplay: false)

    /// Set to `crash-after-first-record` by tests only: the reader raises SIGSEGV after sending
    /// its first record, as libdb would on a damaged page.
    static let testEnvironment = "CYRUS_FAILOVER_TEST_BERKELEY_READER"

    @Argument(help: "The Berkeley DB file.")
    var path: String

    @Option(help: "The access method (btree, hash, or auto: from the file's first bytes).")
    var type: BerkeleyTypeOption = .auto

    func run() throws {
      // A crash inside libdb ends this process at once (no backtrace), for the parent to report.
      for crash in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] { signal(crash, SIG_DFL) }
      let crashAfterFirst =
        getenv(Self.testEnvironment).map { String(cString: $0) } == "crash-after-first-record"
      let output = FrameOutput()
      var count: UInt64 = 0
      do {
        let file = try CyrusDatabaseFile(path: path, backend: type.kind)
        try file.forEachRecord { record in
          output.write(BerkeleyRecordStream.recordFrame(record))
          count += 1
          if crashAfterFirst {
            output.flush()
            raise(SIGSEGV)
          }
        }
      } catch let error as CyrusDatabaseError {
        output.flush()
        Console.err(error.reason + "\n")
        Console.exit(ExitStatus.error.rawValue)
      } catch let error as CyrusStoreError {
        output.flush()
        Console.err(error.detail + "\n")
        Console.exit(ExitStatus.error.rawValue)
      }
      output.write(BerkeleyRecordStream.endFrame(count: count))
      output.flush()
    }
  }
}

/// The access method on the `read-berkeley-db` command line.
enum BerkeleyTypeOption: String, ExpressibleByArgument, CaseIterable {
  case btree, hash, auto

  var kind: CyrusDBKind? {
    switch self {
    case .btree: .berkeleyBtree
    case .hash: .berkeleyHash
    case .auto: nil
    }
  }
}

/// Standard output for binary frames, written in 64 KiB chunks. A write that fails (the reading
/// parent is gone) ends the process with status 2.
final class FrameOutput {
  private var buffer: [UInt8] = []

  func write(_ bytes: [UInt8]) {
    buffer += bytes
    if buffer.count >= 1 << 16 { flush() }
  }

  func flush() {
    do {
      try Console.write(1, bytes: buffer)
    } catch {
      Console.exit(ExitStatus.error.rawValue)
    }
    buffer.removeAll(keepingCapacity: true)
  }
}
