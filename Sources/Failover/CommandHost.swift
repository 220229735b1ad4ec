import Processes
import Remote

/// Where a step's program runs: this host, or another reached over SSH.
public enum HostPlace: Sendable, Hashable, Codable, CustomStringConvertible {
  /// This host.
  case local
  /// `host` or `user@host`.
  case remote(String)

  public var description: String {
    switch self {
    case .local: "this host"
    case .remote(let destination): destination
    }
  }
}

/// Turns an argv meant for a host into the `Invocation` that runs it: as it is on this host,
/// or through `ssh … -- DESTINATION 'word' 'word' …` on another, each word single-quoted for
/// the remote shell (the one command string that crosses; nothing in it is interpreted there
/// but the quoting).
public struct CommandHost: Sendable {
  /// Where the programs run.
  public let place: HostPlace
  /// How to reach it (a remote place only).
  public let ssh: SSHSettings?
  /// The environment of programs run on this host.
  public let environment: [String: String]

  /// A host.
  public init(place: HostPlace, ssh: SSHSettings?, environment: [String: String]) {
    self.place = place
    self.ssh = ssh
    self.environment = environment
  }

  /// Where programs are looked up on this host: its `PATH`, or the minimal environment's.
  public var searchPath: String {
    environment["PATH"] ?? Invocation.minimalEnvironment["PATH"] ?? "/usr/bin:/bin"
  }

  /// The argv as it will be run here (ssh first for a remote host).
  public func argv(_ words: [String]) -> [String] {
    guard case .remote(let destination) = place, let ssh else { return words }
    return ssh.commandLine(destination: destination, remoteArgv: words)
  }

  /// The invocation of `words` on this host.
  /// - Throws: ``ProcedureError`` when the program (or ssh) is not found on this host.
  public func invocation(
    _ words: [String], standardInput: Invocation.Input = .null,
    standardOutput: Invocation.Output = .capture(limit: 4 << 20),
    standardError: Invocation.Output = .captureTail(limit: 64 << 10)
  ) throws(ProcedureError) -> Invocation {
    let full = argv(words)
    guard let program = Invocation.resolve(full[0], searchPath: searchPath) else {
      throw ProcedureError(.missingTool, "\(full[0]) is not installed on this host (not on PATH)")
    }
    return Invocation(
      program, Array(full.dropFirst()), environment: environment, standardInput: standardInput,
      standardOutput: standardOutput, standardError: standardError)
  }
}
