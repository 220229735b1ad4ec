/// How a child process ended: its exit status, or the signal that killed it — never one mixed
/// into the other (a shell's `128 + n`).
public enum Termination: Sendable, Equatable, CustomStringConvertible {
  /// `exit(status)`.
  case exited(Int32)
  /// Killed by a signal.
  case signaled(Int32)

  /// Decodes a `waitpid` status.
  init(waitStatus raw: Int32) {
    let signal = raw & 0x7F
    self = signal == 0 ? .exited((raw >> 8) & 0xFF) : .signaled(signal)
  }

  /// Whether it exited with status 0.
  public var succeeded: Bool { self == .exited(0) }

  public var description: String {
    switch self {
    case .exited(let status): "exit status \(status)"
    case .signaled(let signal): "killed by \(Self.signalName(signal))"
    }
  }

  /// The conventional name of a signal.
  public static func signalName(_ signal: Int32) -> String {
    let names: [Int32: String] = [
      1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS",
      8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
      24: "SIGXCPU", 25: "SIGXFSZ",
    ]
    return names[signal] ?? "signal \(signal)"
  }
}
