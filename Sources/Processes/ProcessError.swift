/// A child process that could not be started or talked to: the program, and why.
public struct ProcessError: Error, Sendable, CustomStringConvertible {
  /// What failed.
  public enum Kind: Sendable, Equatable {
    /// The program is not there or not executable.
    case notFound
    /// A pipe, a file to redirect to, or `posix_spawn` itself failed.
    case spawn
    /// Writing its standard input or reading its output failed.
    case io
  }

  /// What failed.
  public var kind: Kind
  /// The program (argv[0]).
  public var executable: String
  /// Why, in words (errno text included).
  public var reason: String

  /// Makes an error.
  public init(_ kind: Kind, executable: String, reason: String) {
    self.kind = kind
    self.executable = executable
    self.reason = reason
  }

  public var description: String { "\(Invocation.displayWord(executable)): \(reason)" }
}
