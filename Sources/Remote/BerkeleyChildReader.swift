import CyrusFormats
import CyrusStore
import Foundation
import Processes
import Verification

/// Reads a Berkeley DB file in a child process (`EXECUTABLE read-berkeley-db PATH --type T
/// --sandbox S`, the file open on its standard input), so that libdb 5.3, which is not
/// memory-safe on damaged files, can crash or hang only the child — and a file crafted to take
/// libdb over finds a process that can do little: the child gets a minimal environment, `/` as
/// its working directory, no descriptor but its standard streams, and puts a ``Sandbox`` on
/// itself before it reads a byte (no core, no file written, 512 MiB of address space, 600 s of
/// CPU, and as root the user `nobody` with no groups). It reads the file through the descriptor
/// it was given, so it needs no permission on the file itself.
/// Records stream back as a ``BerkeleyRecordStream`` and reach the caller one at a time; every
/// way the child can fail becomes a ``CyrusDatabaseError`` naming the file.
public struct BerkeleyChildReader: BerkeleyRecordReader {
  /// The program to run: this executable (`/proc/self/exe` on Linux).
  public let executable: String
  /// How long the child may send nothing before it is killed, in seconds.
  public let timeLimitSeconds: Int
  /// The child's whole environment.
  public let environment: [String: String]
  /// Starts the child.
  public let runner: ProcessRunner
  /// What the child puts on itself before it reads the file; `nil`: nothing (tests of other
  /// programs standing in for the reader).
  public let sandbox: Sandbox?
  /// The child's address space limit, in bytes: its runtime and libraries (about 100 MiB), two
  /// record buffers of up to ``BerkeleyDatabase``'s 16 MiB, and room to spare.
  public static let addressSpaceBytes: UInt64 = 512 << 20
  /// The child's CPU time limit, in seconds: far above what reading the largest mailboxes.db
  /// takes, far below forever.
  public static let cpuSeconds: UInt64 = 600

  /// The sandbox the child gets unless told otherwise: the limits above, and as root the
  /// identity of `nobody` (``Sandbox/unprivilegedIdentity()``).
  public static func defaultSandbox() -> Sandbox {
    Sandbox(
      addressSpaceBytes: addressSpaceBytes, cpuSeconds: cpuSeconds,
      identity: Sandbox.unprivilegedIdentity())
  }
  /// Bytes of the child's standard error kept (the last ones).
  static let stderrBytes = 1 << 14

  /// A reader running `executable` with `environment` (by default only a fixed PATH and the C
  /// locale: nothing of the caller's environment reaches libdb).
  public init(
    executable: String = "/proc/self/exe", timeLimitSeconds: Int = 120,
    environment: [String: String] = Invocation.minimalEnvironment,
    runner: ProcessRunner = ProcessRunner(),
    sandbox: Sandbox? = BerkeleyChildReader.defaultSandbox()
  ) {
    precondition(timeLimitSeconds > 0, "the time limit is positive")
    self.executable = executable
    self.timeLimitSeconds = timeLimitSeconds
    self.environment = environment
    self.runner = runner
    self.sandbox = sandbox
  }

  /// The child's argv.
  public func arguments(path: String, kind: CyrusDBKind) -> [String] {
    let type = kind == .berkeleyHash ? "hash" : "btree"
    return [executable, "read-berkeley-db", path, "--type", type]
      + (sandbox.map { ["--sandbox", $0.argument] } ?? [])
  }

  /// Calls `body` with each record of the file open at `descriptor`, in stored order; the child
  /// gets that descriptor as its standard input.
  /// - Throws: ``CyrusDatabaseError`` when the child cannot be started, crashes, fails, hangs or
  ///   sends a stream cut short; whatever `body` throws, after the child is ended.
  public func read(
    descriptor: Int32, path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void
  ) throws {
    let argv = arguments(path: path, kind: kind)
    let invocation = Invocation(
      argv[0], Array(argv.dropFirst()), environment: environment, workingDirectory: "/",
      standardInput: .descriptor(descriptor), standardOutput: .pipe,
      standardError: .captureTail(limit: Self.stderrBytes))
    var decoder = BerkeleyRecordDecoder()
    let outcome: ProcessOutcome
    do {
      outcome = try runner.stream(invocation, idleLimit: .seconds(timeLimitSeconds)) { chunk in
        decoder.append(chunk)
        do {
          while let event = try decoder.next() {
            if case .record(let record) = event { try body(record) }
          }
        } catch let malformed as BerkeleyRecordDecoder.Malformed {
          throw failure(path, kind, "the Berkeley DB reader sent a bad stream: \(malformed.detail)")
        }
      }
    } catch let error as ProcessError {
      throw failure(path, kind, "cannot start the Berkeley DB reader \(error)")
    }
    // libdb's words about a file that may be hostile: control characters escaped.
    let said = Terminal.safe(outcome.errorText.trimmingCharacters(in: .whitespacesAndNewlines))
    if outcome.timedOut {
      throw failure(
        path, kind, "libdb made no progress reading this file for \(timeLimitSeconds) s")
    }
    switch outcome.termination {
    case .signaled(let signal):
      throw failure(
        path, kind,
        "libdb crashed reading this file (signal \(signal), \(Termination.signalName(signal))): "
          + "the file is damaged")
    case .exited(let code) where code != 0:
      if code == 2 && !said.isEmpty { throw failure(path, kind, said) }
      throw failure(
        path, kind,
        "the Berkeley DB reader \(executable) exited with status \(code)"
          + (said.isEmpty ? "" : ": \(said)"))
    case .exited:
      guard let count = decoder.endCount, decoder.pendingBytes == 0 else {
        throw failure(
          path, kind,
          "the Berkeley DB reader's output ended after \(decoder.records) records without its "
            + "end frame (truncated stream)")
      }
      guard count == decoder.records else {
        throw failure(
          path, kind,
          "the Berkeley DB reader sent \(decoder.records) records but counted \(count)")
      }
    }
  }

  private func failure(_ path: String, _ kind: CyrusDBKind, _ reason: String)
    -> CyrusDatabaseError
  {
    CyrusDatabaseError(path: path, kind: kind, reason: reason, offset: nil)
  }
}
