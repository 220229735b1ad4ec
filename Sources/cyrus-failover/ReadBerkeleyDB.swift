import ArgumentParser
import CyrusFormats
import CyrusStore
import Foundation
import Processes
import Remote
import Verification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension CyrusFailover {
  /// `read-berkeley-db`: reads one Berkeley DB file, open on standard input, with libdb in this
  /// process and writes its records to standard output as a `BerkeleyRecordStream`. The other
  /// commands run it as a child (`BerkeleyChildReader`), so that libdb crashing on a damaged
  /// file ends only this process, and a file crafted to take libdb over meets the `--sandbox`
  /// this process puts on itself before it reads a byte; not for humans, hidden from help.
  struct ReadBerkeleyDB: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "read-berkeley-db",
      abstract: "Read one Berkeley DB file from standard input and write its records, framed.",
      shouldDisplay: false)

    /// Set by tests only: `crash-after-first-record` makes the reader raise SIGSEGV after
    /// sending its first record, as libdb would on a damaged page; `report-sandbox` makes it
    /// write what the kernel says of its identity and limits to standard error and exit 2.
    static let testEnvironment = "CYRUS_FAILOVER_TEST_BERKELEY_READER"

    @Argument(help: "The file's name, for messages (the file itself is standard input).")
    var path: String

    @Option(help: "The access method.")
    var type: BerkeleyTypeOption = .btree

    @Option(
      help: "Limits and identity to take before reading (as=BYTES,cpu=SECONDS[,uid=N,gid=N]).")
    var sandbox: String?

    func validate() throws {
      if let sandbox, Sandbox(argument: sandbox) == nil {
        throw ValidationError("--sandbox: not a sandbox: \(sandbox)")
      }
    }

    func run() throws {
      // A crash inside libdb ends this process at once (no backtrace), for the parent to report.
      for crash in [SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT] { signal(crash, SIG_DFL) }
      if let sandbox, let limits = Sandbox(argument: sandbox) {
        do {
          try limits.enter()
        } catch {
          Console.err("\(error)\n")
          Console.exit(ExitStatus.error.rawValue)
        }
      }
      let testMode = getenv(Self.testEnvironment).map { String(cString: $0) }
      if testMode == "report-sandbox" {
        Console.err(Self.sandboxReport())
        Console.exit(ExitStatus.error.rawValue)
      }
      let output = FrameOutput()
      var count: UInt64 = 0
      do {
        try InProcessBerkeleyReader().read(descriptor: 0, path: path, kind: type.kind) { record in
          output.write(BerkeleyRecordStream.recordFrame(record))
          count += 1
          if testMode == "crash-after-first-record" {
            output.flush()
            raise(SIGSEGV)
          }
        }
      } catch let error as CyrusDatabaseError {
        output.flush()
        Console.err(error.reason + "\n")
        Console.exit(ExitStatus.error.rawValue)
      }
      output.write(BerkeleyRecordStream.endFrame(count: count))
      output.flush()
    }

    /// The kernel's view of this process's identity and limits (/proc/self/status and
    /// /proc/self/limits), for the tests of the sandbox.
    static func sandboxReport() -> String {
      var lines: [String] = []
      for (file, prefixes) in [
        ("/proc/self/status", ["Uid:", "Gid:", "Groups:", "NoNewPrivs:"]),
        (
          "/proc/self/limits",
          ["Max core file size", "Max file size", "Max address space", "Max cpu time"]
        ),
      ] {
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        lines += text.split(separator: "\n").filter { line in
          prefixes.contains { line.hasPrefix($0) }
        }.map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }
      }
      // A process that is not dumpable has its /proc directory owned by root.
      var info = stat()
      let owner = stat("/proc/self/fd", &info) == 0 ? "\(info.st_uid)" : "?"
      lines.append("ProcSelfOwner: \(owner)")
      return lines.joined(separator: "\n") + "\n"
    }
  }
}

/// The access method on the `read-berkeley-db` command line.
enum BerkeleyTypeOption: String, ExpressibleByArgument, CaseIterable {
  case btree, hash

  var kind: CyrusDBKind {
    switch self {
    case .btree: .berkeleyBtree
    case .hash: .berkeleyHash
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
