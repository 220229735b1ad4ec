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
