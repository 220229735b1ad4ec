import Foundation

/// Runs the built `cyrus-failover` and real programs (Cyrus's `ctl_mboxlist`, `db5.3_load`,
/// tar) for the mailbox-list tests.
enum Binary {
  /// The repository root (three levels above this file).
  static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

  /// The built executable, next to the test bundle in the build directory.
  static var tool: String {
    if let explicit = ProcessInfo.processInfo.environment["CYRUS_FAILOVER_BIN"] { return explicit }
    var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = directory.appendingPathComponent("cyrus-failover").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      directory = directory.deletingLastPathComponent()
    }
    return repository + "/.build/debug/cyrus-failover"
  }

  /// Debian 12's Cyrus 3.6 tools.
  static let cyrusBin = "/usr/lib/cyrus/bin/"

  struct Result {
    var status: Int32
    var stdout: [UInt8]
    var stderr: String
    var text: String { String(decoding: stdout, as: UTF8.self) }
  }

  /// Runs `arguments` (the first a path) with standard input from `stdin` (a file) or empty.
  @discardableResult
  static func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: arguments[0])
    process.arguments = Array(arguments.dropFirst())
    let out = Pipe()
    let errPath = NSTemporaryDirectory() + "mboxlist-test-stderr-" + UUID().uuidString
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
      status: process.terminationStatus, stdout: Array(data),
      stderr: String(decoding: errData, as: UTF8.self))
  }

  /// `cyrus-failover ARGUMENTS`.
  @discardableResult
  static func tool(_ arguments: [String], stdin: String? = nil) throws -> Result {
    try run([tool] + arguments, stdin: stdin)
  }

  /// Runs a program that must exit 0.
  static func must(_ arguments: [String], stdin: String? = nil) throws -> Result {
    let result = try run(arguments, stdin: stdin)
    guard result.status == 0 else {
      throw Failure("\(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
    }
    return result
  }
}

struct Failure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// A fresh temporary directory for one test, removed afterwards.
final class Scratch {
  let path: String

  init() throws {
    path = NSTemporaryDirectory() + "mboxlist-test-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }

  /// Writes `bytes` to `name` inside the directory (parents created) and returns the path.
  @discardableResult
  func write(_ name: String, _ bytes: [UInt8]) throws -> String {
    let file = path + "/" + name
    try FileManager.default.createDirectory(
      atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
    guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else {
      throw Failure("cannot write \(file)")
    }
    return file
  }

  @discardableResult
  func write(_ name: String, _ text: String) throws -> String { try write(name, Array(text.utf8)) }

  func read(_ name: String) throws -> [UInt8] {
    guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
      throw Failure("cannot read \(path)/\(name)")
    }
    return Array(data)
  }
}

/// Bytes of a file in the repository.
func repositoryFile(_ relative: String) throws -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: Binary.repository + "/" + relative) else {
    throw Failure("cannot read \(relative)")
  }
  return Array(data)
}
