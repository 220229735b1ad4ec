import Foundation
import Glibc
import Processes
import SystemPackage
import Verification

/// Every step and every command of a procedure, as it happens: a line to a person (standard
/// error, through `say`) and, with a log file, one JSON object per line (host, argv, start and
/// end, exit status, rsync's statistics). The file is opened for appending and written a line
/// at a time, so a procedure killed midway leaves every event before.
public final class ProcedureLog: @unchecked Sendable {
  private let say: @Sendable (String) -> Void
  private let file: FileDescriptor?
  private let lock = NSLock()

  /// A log that tells `say`, and appends JSON lines to `path` when given.
  public init(path: String?, say: @escaping @Sendable (String) -> Void) throws {
    self.say = say
    if let path {
      do {
        file = try FileDescriptor.open(
          path, .writeOnly, options: [.create, .append, .closeOnExec],
          permissions: [.ownerReadWrite])
      } catch {
        throw ProcedureError(.refused, "cannot open the log \(path): \(error)")
      }
    } else {
      file = nil
    }
  }

  deinit { try? file?.close() }

  /// One event.
  public struct Event: Encodable {
    public var time = SystemTime.now()
    public var event: String
    public var step: String?
    public var host: String?
    public var argv: [String]?
    public var status: String?
    public var seconds: Double?
    public var rsync: Rsync.Statistics?
    public var message: String?
  }

  /// Records an event: a line for a person, a JSON line for the file.
  public func record(_ event: Event, line: String) {
    say(Terminal.safe(line))
    guard let file else { return }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
    guard let data = try? encoder.encode(event) else { return }
    lock.lock()
    defer { lock.unlock() }
    _ = try? file.writeAll(Array(data) + [0x0A])
  }

  /// A note.
  public func note(_ text: String, step: String? = nil) {
    record(Event(event: "note", step: step, message: text), line: text)
  }
}

/// Wall-clock seconds since the epoch.
enum SystemTime {
  static func now() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
  }
}
