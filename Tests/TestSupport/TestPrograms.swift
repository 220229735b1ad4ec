import Foundation
import Processes

/// Runs the built `cyrus-failover` and real programs (rsync, tar, ssh-keygen, Cyrus's tools)
/// for every test target, through the tool's own process runner.
public enum TestPrograms {
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

  /// The runner every test uses.
  public static let runner = ProcessRunner(terminationGrace: .seconds(5))

  /// The outcome of one process.
  public struct Result: Sendable {
    /// Exit status; a killing signal as 128 + its number, as a shell shows it.
    public var status: Int32
    /// How it ended.
    public var termination: Termination
    /// Standard output, raw.
    public var output: [UInt8]
    /// Standard error as text.
    public var stderr: String
    /// Standard output as text.
    public var stdout: String { String(decoding: output, as: UTF8.self) }

    /// A result of a process run some other way (in the background).
    public init(status: Int32, termination: Termination, output: [UInt8], stderr: String) {
      self.status = status
      self.termination = termination
      self.output = output
      self.stderr = stderr
    }
  }

  /// Runs `arguments[0]` (a path, or a name found on PATH) and waits for it.
  /// - Parameters:
  ///   - stdin: a file to read standard input from (none: empty).
  ///   - input: bytes for standard input, in place of a file.
  ///   - environment: the child's environment (default: this test process's).
  public static func run(
    _ arguments: [String], stdin: String? = nil, input: [UInt8]? = nil, in directory: String? = nil,
    environment: [String: String]? = nil, timeLimit: Duration? = nil
  ) throws -> Result {
    let variables = environment ?? ProcessInfo.processInfo.environment
    let name = arguments[0]
    guard
      let program = Invocation.resolve(
        name, searchPath: variables["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin")
    else { throw ProcessFailure(description: "\(name): not found on PATH") }
    var standardInput = Invocation.Input.null
    if let stdin { standardInput = .file(stdin) }
    if let input { standardInput = .bytes(input) }
    let invocation = Invocation(
      program, Array(arguments.dropFirst()), environment: variables,
      workingDirectory: directory, standardInput: standardInput,
      standardOutput: .capture(limit: 1 << 30), standardError: .capture(limit: 1 << 24))
    let outcome = try runner.run(invocation, timeLimit: timeLimit)
    let status: Int32
    switch outcome.termination {
    case .exited(let code): status = code
    case .signaled(let signal): status = 128 + signal
    }
    return Result(
      status: status, termination: outcome.termination, output: outcome.standardOutput,
      stderr: outcome.errorText)
  }

  /// Runs a program that must exit 0.
  @discardableResult
  public static func must(
    _ arguments: [String], stdin: String? = nil, input: [UInt8]? = nil, in directory: String? = nil
  ) throws -> Result {
    let result = try run(arguments, stdin: stdin, input: input, in: directory)
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
