import Foundation
import Glibc

/// Which processes hold files inside some directories open, from `/proc/PID/fd` — how the
/// procedure knows that Cyrus has really stopped (every service process, not only master) and
/// that nothing runs on a failover's data. Read only; this process is left out.
enum BusyProcesses {
  /// Processes most listed.
  static let limit = 64

  /// pid → command of every process with a descriptor under one of `directories`.
  static func holding(_ directories: [String]) -> [String: String] {
    let prefixes = directories.map { resolved($0) }.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    guard let pids = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
      return [:]
    }
    let own = getpid()
    var found: [String: String] = [:]
    for name in pids where found.count < limit {
      guard let pid = Int32(name), pid != own,
        let descriptors = try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")
      else { continue }
      for descriptor in descriptors {
        guard let target = link("/proc/\(pid)/fd/\(descriptor)"), target.hasPrefix("/") else {
          continue
        }
        if prefixes.contains(where: { (target + "/").hasPrefix($0) }) {
          found["\(pid)"] = command(of: pid) ?? "?"
          break
        }
      }
    }
    return found
  }

  /// The command name of `pid` (`/proc/PID/comm`), while it runs.
  static func command(of pid: Int32) -> String? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/comm") else { return nil }
    let text = String(decoding: data.prefix(64), as: UTF8.self)
      .trimmingCharacters(in: .whitespacesAndNewlines)
    return text.isEmpty ? nil : text
  }

  /// The argv of `pid` (`/proc/PID/cmdline`).
  static func arguments(of pid: Int32) -> [String] {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
    return data.prefix(64 << 10).split(separator: 0, omittingEmptySubsequences: false)
      .map { String(decoding: $0, as: UTF8.self) }
  }

  static func link(_ path: String) -> String? {
    var buffer = [CChar](repeating: 0, count: 4096)
    let count = readlink(path, &buffer, buffer.count - 1)
    guard count > 0 else { return nil }
    return String(decoding: buffer.prefix(count).map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }

  /// The path with symlinks resolved, or as given when it does not exist.
  static func resolved(_ path: String) -> String {
    guard let real = realpath(path, nil) else { return path }
    defer { free(real) }
    return String(cString: real)
  }
}
