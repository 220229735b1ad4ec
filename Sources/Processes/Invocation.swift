/// One program to run: its argv, its whole environment and where its standard streams go.
///
/// There is no shell: `arguments` reach the program as they are, so no value from a Cyrus tree,
/// an imapd.conf or a command line is ever parsed as shell syntax. The environment is given in
/// full; nothing is inherited unless the caller copies it in.
public struct Invocation: Sendable, Equatable, CustomStringConvertible {
  /// The program's absolute path (``resolve(_:searchPath:)`` finds a bare name).
  public var executable: String
  /// The arguments after argv[0].
  public var arguments: [String]
  /// The complete environment of the child.
  public var environment: [String: String]
  /// The child's working directory; nil keeps this process's.
  public var workingDirectory: String?
  /// Where standard input comes from.
  public var standardInput: Input
  /// Where standard output goes.
  public var standardOutput: Output
  /// Where standard error goes.
  public var standardError: Output

  /// Standard input of a child.
  public enum Input: Sendable, Equatable {
    /// `/dev/null`.
    case null
    /// These bytes, then end of file.
    case bytes([UInt8])
    /// A file, opened read-only.
    case file(String)
    /// A pipe whose writing end ``ChildProcess/standardInput`` hands to the caller.
    case pipe
    /// A file this process holds open, given to the child as it is (no new open by path, so the
    /// child may read it after giving up the privileges it was opened with); the descriptor
    /// stays the caller's to close.
    case descriptor(Int32)
  }

  /// Standard output or standard error of a child.
  public enum Output: Sendable, Equatable {
    /// `/dev/null`.
    case discard
    /// Kept in memory, the first `limit` bytes; the rest is read and dropped (counted).
    case capture(limit: Int)
    /// Kept in memory, the last `limit` bytes (error messages end where the failure is).
    case captureTail(limit: Int)
    /// A pipe whose reading end ``ChildProcess/standardOutput`` (or `standardError`) hands to
    /// the caller, who must read it to the end.
    case pipe
    /// A file, created (mode 0600) or appended to.
    case file(String, append: Bool)
    /// This process's own descriptor of the same number.
    case inherit
  }

  /// Describes a run of `executable` with `arguments`.
  public init(
    _ executable: String, _ arguments: [String] = [], environment: [String: String],
    workingDirectory: String? = nil, standardInput: Input = .null,
    standardOutput: Output = .capture(limit: 1 << 20),
    standardError: Output = .captureTail(limit: 1 << 14)
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.workingDirectory = workingDirectory
    self.standardInput = standardInput
    self.standardOutput = standardOutput
    self.standardError = standardError
  }

  /// argv as the child sees it.
  public var argv: [String] { [executable] + arguments }

  /// The argv for a person: words with spaces or shell characters single-quoted, control
  /// characters escaped, so that it can be read (and pasted) but never reaches a terminal raw.
  public var description: String { argv.map(Self.displayWord).joined(separator: " ") }

  /// The environment a tool started by cyrus-failover gets unless told otherwise: a fixed
  /// `PATH` and the C locale, so its messages and number formats are the ones parsed.
  public static let minimalEnvironment: [String: String] = [
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LC_ALL": "C",
  ]

  /// The first executable file named `name` in the `:`-separated `searchPath`, or `name` itself
  /// when it holds a `/`; nil when there is none.
  public static func resolve(_ name: String, searchPath: String) -> String? {
    if name.contains("/") { return name }
    for directory in searchPath.split(separator: ":") where directory.hasPrefix("/") {
      let candidate = directory + "/" + name
      if SystemCalls.isExecutableFile(candidate) { return candidate }
    }
    return nil
  }

  /// One word of an argv for a person: quoted when it holds spaces or shell characters, control
  /// characters escaped.
  public static func displayWord(_ word: String) -> String {
    var escaped = ""
    var needsQuotes = word.isEmpty
    for scalar in word.unicodeScalars {
      switch scalar {
      case "'":
        escaped += "'\\''"
        needsQuotes = true
      case " ", "\"", "\\", "$", "`", "!", "*", "?", "[", "]", "(", ")", "{", "}", "<", ">", "|",
        "&", ";", "#", "~":
        escaped.unicodeScalars.append(scalar)
        needsQuotes = true
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
          escaped += "\\x" + String(scalar.value, radix: 16)
          needsQuotes = true
        } else {
          escaped.unicodeScalars.append(scalar)
        }
      }
    }
    return needsQuotes ? "'" + escaped + "'" : escaped
  }
}
