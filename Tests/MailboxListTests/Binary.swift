import Foundation
import TestSupport

/// Runs the built `cyrus-failover` and real programs (Cyrus's `ctl_mboxlist`, `db5.3_load`,
/// tar) for the mailbox-list tests.
enum Binary {
  /// The repository root.
  static var repository: String { TestPrograms.repository }

  /// The built executable.
  static var tool: String { TestPrograms.executable }

  /// Debian 12's Cyrus 3.6 tools.
  static let cyrusBin = "/usr/lib/cyrus/bin/"

  typealias Result = TestPrograms.Result

  /// Runs `arguments` (the first a path) with standard input from `stdin` (a file) or empty.
  @discardableResult
  static func run(_ arguments: [String], stdin: String? = nil) throws -> Result {
    try TestPrograms.run(arguments, stdin: stdin)
  }

  /// `cyrus-failover ARGUMENTS`.
  @discardableResult
  static func tool(_ arguments: [String], stdin: String? = nil) throws -> Result {
    try run([tool] + arguments, stdin: stdin)
  }

  /// Runs a program that must exit 0.
  @discardableResult
  static func must(_ arguments: [String], stdin: String? = nil) throws -> Result {
    try TestPrograms.must(arguments, stdin: stdin)
  }
}

struct Failure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

/// The mailbox-list tests' scratch directory: TestSupport's.
typealias Scratch = TemporaryDirectory

/// Bytes of a file in the repository.
func repositoryFile(_ relative: String) throws -> [UInt8] {
  guard let data = FileManager.default.contents(atPath: Binary.repository + "/" + relative) else {
    throw Failure("cannot read \(relative)")
  }
  return Array(data)
}
