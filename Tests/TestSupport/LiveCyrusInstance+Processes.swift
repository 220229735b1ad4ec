import Foundation

extension LiveCyrusInstance {
  /// Live processes whose arguments name this root (master and every service run with
  /// `-C ROOT/etc/imapd.conf`), read from /proc here, independently of the script; zombies
  /// (an exited master not yet reaped by init) do not count.
  public func processes() -> [pid_t] {
    let marker = Array((root + "/etc/").utf8)
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc") else {
      return []
    }
    return names.compactMap { pid_t($0) }.filter { pid in
      guard pid != getpid(), Self.isLive(pid),
        let arguments = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline")
      else { return false }
      return Array(arguments).firstRange(of: marker) != nil
    }.sorted()
  }

  /// Whether the process exists and is not a zombie (state after the command name in
  /// /proc/PID/stat).
  public static func isLive(_ pid: pid_t) -> Bool {
    guard let stat = FileManager.default.contents(atPath: "/proc/\(pid)/stat"),
      let close = stat.lastIndex(of: UInt8(ascii: ")")), close + 2 < stat.count
    else { return false }
    return ![UInt8(ascii: "Z"), UInt8(ascii: "X")].contains(stat[close + 2])
  }

  /// Paths of open files (targets of /proc/PID/fd) of the instance's processes, for a test
  /// that checks where its Cyrus writes.
  public func openFiles() -> [String] {
    processes().flatMap { pid -> [String] in
      let directory = "/proc/\(pid)/fd"
      let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
      return names.compactMap {
        try? FileManager.default.destinationOfSymbolicLink(atPath: directory + "/" + $0)
      }
    }
  }
}
