import Foundation

/// Runs the built `cyrus-failover` and real programs (rsync, tar, Cyrus's tools) for the
/// end-to-end test targets, which share it.
public enum ProcessRunner {
  /// The repository root (three levels above this file).
  public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  /// The built executable, next to the test bundle in the build directory
  /// (`CYRUS_FAILOVER_BIN` overrides).
  public static var executable: String {
    if let explicit = ProcessInfo.processInfo.environment["CYRUS_FAILOVER_BIN"] { return explicit }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("cyrus-failover").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return repository + "/.build/debug/cyrus-failover"
  }

  /// The outcome of one process.
  public struct Result: Sendable {
    /// Exit status.
    public var status: Int32
    /// Standard output, raw.
    public var output: [UInt8]
    /// Standard error as text.
    public var stderr: String
    /// Standard output as text.
    public var stdout: String { String(decoding: output, as: UTF8.self) }
  }

  /// Runs `arguments[0]` (a path, or a name found in /usr/bin or /bin) and waits for it.
  /// Standard error goes to a file so that the two streams cannot block each other.
  public static func run(_ arguments: [String], stdin: String? = nil, in directory: String? = nil)
    throws -> Result
  {
    let process = Process()
    let name = arguments[0]
    let found = ["/usr/bin/", "/bin/"].map { $0 + name }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    process.executableURL = URL(fileURLWithPath: name.contains("/") ? name : (found ?? name))
    process.arguments = Array(arguments.dropFirst())
    if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
    let out = Pipe()
    let errPath = NSTemporaryDirectory() + "cyrus-failover-stderr-" + UUID().uuidString
    _ = FileManager.default.createFile(atPath: errPath, contents: nil)
    defer { try? FileManager.default.removeItem(atPath: errPath) }
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    process.standardOutput = out
    process.standardError = err
    process.standardInput =
      try stdin.map { try FileHandle(forReadingFrom: URL(fileURLWithPath: $0)) }
      ?? FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    try err.close()
    let errData = FileManager.default.contents(atPath: errPath) ?? Data()
    return Result(
      status: process.terminationStatus, output: Array(data),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// Runs a program that must exit 0.
  @discardableResult
  public static func must(_ arguments: [String], stdin: String? = nil, in directory: String? = nil)
    throws -> Result
  {
    let result = try run(arguments, stdin: stdin, in: directory)
    guard result.status == 0 else {
      throw ProcessFailure(
        description: "\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)"
      )
    }
    return result
  }
}

/// A helper program that failed.
public struct ProcessFailure: Error, CustomStringConvertible {
  public var description: String
  public init(description: String) { self.description = description }
}
