import Foundation

/// Runs the built `cyrus-failover` executable and other real programs (rsync, tar) for the
/// end-to-end tests.
enum Tool {
  /// The repository root (three levels above this file).
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

  /// The built executable, next to the test bundle in the build directory.
  static var executable: String {
    if let explicit = ProcessInfo.processInfo.environment["CYRUS_FAILOVER_BIN"] { return explicit }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("cyrus-failover").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return repository + "/.build/debug/cyrus-failover"
  }

  /// The result of one process.
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// Runs `arguments[0]` (a path, or a name looked up in /usr/bin and /bin) and waits.
  @discardableResult
  static func run(_ arguments: [String], in directory: String? = nil) throws -> Result {
    let process = Process()
    let name = arguments[0]
    process.executableURL = URL(
      fileURLWithPath: name.contains("/") ? name : (["/usr/bin/", "/bin/"].map { $0 + name }.first {
        FileManager.default.isExecutableFile(atPath: $0)
      } ?? name))
    process.arguments = Array(arguments.dropFirst())
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    // Standard error goes to a file, so the two streams cannot block each other.
    let errPath = NSTemporaryDirectory() + "cyrus-failover-stderr-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try err.close()
    let stderrData = FileManager.default.contents(atPath: errPath) ?? Data()
    return Result(
      status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
      stderr: String(decoding: stderrData, as: UTF8.self))
  }

  /// Runs a program that must succeed.
  static func must(_ arguments: [String], in directory: String? = nil) throws {
    let result = try run(arguments, in: directory)
    guard result.status == 0 else {
      throw ToolError(message: "\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
  }

  /// Runs `cyrus-failover verify … --format json` and returns the exit status and the findings
  /// as `code area:path` strings.
  static func verify(_ arguments: [String]) throws -> (status: Int32, findings: [String], json: [String: Any]) {
    let result = try run([executable, "verify", "--format", "json", "--no-progress"] + arguments)
    guard
      let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any],
      let findings = object["findings"] as? [[String: Any]]
    else {
      throw ToolError(message: "no JSON report (exit \(result.status)): \(result.stdout) \(result.stderr)")
    }
    let lines = findings.map { finding -> String in
      let code = finding["code"] as? String ?? "?"
      let side = finding["side"] as? String ?? "-"
      if code.hasPrefix("mailbox") {
        // Mailbox-list findings: the mailbox (and the side a one-sided one was seen on).
        let mailbox = finding["mailbox"] as? String ?? "-"
        return "\(code) \(mailbox) [\(side)]"
      }
      let area = finding["area"] as? String ?? "-"
      let path = finding["path"] as? String ?? "-"
      return "\(code) \(area):\(path)"
    }
    return (result.status, lines.sorted(), object)
  }
}

struct ToolError: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}
