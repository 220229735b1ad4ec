import CyrusFormats
import CyrusStore
import Foundation

/// Reads a Berkeley DB file in a child process (`EXECUTABLE read-berkeley-db PATH --type T`), so
/// that libdb 5.3, which is not memory-safe on damaged files, can crash or hang only the child.
/// Records stream back as a ``BerkeleyRecordStream`` and reach the caller one at a time; every
/// way the child can fail becomes a ``CyrusDatabaseError`` naming the file.
public struct BerkeleyChildReader: Sendable {
  /// The program to run: this executable (`/proc/self/exe` on Linux).
  public let executable: String
  /// How long the child may send nothing before it is killed, in seconds.
  public let timeLimitSeconds: Int
  /// Bytes read from the child's standard output at a time.
  static let chunkBytes = 1 << 16
  /// Bytes of the child's standard error kept (the last ones).
  static let stderrBytes = 1 << 14

  public init(executable: String = "/proc/self/exe", timeLimitSeconds: Int = 120) {
    precondition(timeLimitSeconds > 0, "the time limit is positive")
    self.executable = executable
    self.timeLimitSeconds = timeLimitSeconds
  }

  /// The child's argv.
  public func arguments(path: String, kind: CyrusDBKind) -> [String] {
    let type: String
    switch kind {
    case .berkeleyBtree: type = "btree"
    case .berkeleyHash: type = "hash"
    default: type = "auto"
    }
    return [executable, "read-berkeley-db", path, "--type", type]
  }

  /// Installs this reader as ``CyrusDatabaseFile/berkeleyReader``.
  public func install() {
    let reader = self
    CyrusDatabaseFile.installBerkeleyReader { path, kind, body in
      try reader.read(path: path, kind: kind, body)
    }
  }

  /// Calls `body` with each record of the file, in stored order.
  /// - Throws: ``CyrusDatabaseError`` when the child cannot be started, crashes, fails, hangs or
  ///   sends a stream cut short; whatever `body` throws, after the child is ended.
  public func read(path: String, kind: CyrusDBKind, _ body: (CyrusDBRecord) throws -> Void)
    throws
  {
    let child = try BerkeleyChild(
      arguments: arguments(path: path, kind: kind), fail: { failure(path, kind, $0) })
    defer { child.end() }
    var decoder = BerkeleyRecordDecoder()
    var stderrTail: [UInt8] = []
    let deadlineStep = UInt64(timeLimitSeconds) * 1_000_000_000
    var deadline = DispatchTime.now().uptimeNanoseconds + deadlineStep
    var chunk = [UInt8](repeating: 0, count: Self.chunkBytes)
    while child.hasOpenPipes {
      let now = DispatchTime.now().uptimeNanoseconds
      guard now < deadline else {
        child.kill()
        throw failure(
          path, kind, "libdb made no progress reading this file for \(timeLimitSeconds) s")
      }
      let ready = child.poll(milliseconds: Int32(min((deadline - now) / 1_000_000 + 1, 60_000)))
      if let fd = ready.output {
        let count = child.read(fd, into: &chunk)
        if count == 0 {
          child.closeOutput()
        } else {
          deadline = DispatchTime.now().uptimeNanoseconds + deadlineStep
          decoder.append(chunk[0..<count])
          do {
            while let event = try decoder.next() {
              if case .record(let record) = event { try body(record) }
            }
          } catch let malformed as BerkeleyRecordDecoder.Malformed {
            child.kill()
            throw failure(
              path, kind, "the Berkeley DB reader sent a bad stream: \(malformed.detail)")
          }
        }
      }
      if let fd = ready.error {
        let count = child.read(fd, into: &chunk)
        if count == 0 {
          child.closeError()
        } else {
          stderrTail += chunk[0..<count]
          if stderrTail.count > Self.stderrBytes {
            stderrTail.removeFirst(stderrTail.count - Self.stderrBytes)
          }
        }
      }
    }
    let status = child.wait(deadline: deadline)
    let said = String(decoding: stderrTail, as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    switch status {
    case .timedOut:
      throw failure(
        path, kind, "libdb made no progress reading this file for \(timeLimitSeconds) s")
    case .signaled(let signal):
      throw failure(
        path, kind,
        "libdb crashed reading this file (signal \(signal), \(Self.signalName(signal))): "
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

  /// The conventional name of a signal that ends a crashing reader.
  static func signalName(_ signal: Int32) -> String {
    switch signal {
    case SIGSEGV: "SIGSEGV"
    case SIGBUS: "SIGBUS"
    case SIGABRT: "SIGABRT"
    case SIGILL: "SIGILL"
    case SIGFPE: "SIGFPE"
    case SIGKILL: "SIGKILL"
    case SIGTERM: "SIGTERM"
    case SIGTRAP: "SIGTRAP"
    default: "signal \(signal)"
    }
  }

  private func failure(_ path: String, _ kind: CyrusDBKind, _ reason: String)
    -> CyrusDatabaseError
  {
    CyrusDatabaseError(path: path, kind: kind, reason: reason, offset: nil)
  }
}
