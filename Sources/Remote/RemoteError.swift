/// Why a remote side or a saved manifest could not be used (exit status 2). The text says what
/// happened and, where there is one, what to do about it.
public struct RemoteError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: String, Sendable {
    /// The host could not be reached (refused, no route, name not resolved, timed out).
    case unreachable
    /// The host key is unknown or changed; host keys are checked and never skipped.
    case hostKey
    /// Public-key authentication failed (BatchMode allows no password).
    case authentication
    /// The remote host has no cyrus-failover at the command given.
    case missingBinary
    /// The two binaries speak different protocol versions.
    case versionMismatch
    /// Something other than the agent answered (a shell startup file printing, a wrong program).
    case notAnAgent
    /// The connection ended before the walk did.
    case dropped
    /// The agent could not open the instance, or reported another error.
    case agentFailed
    /// The agent sent something the protocol does not allow (a frame too large, a chunk that
    /// brings nothing, a digest that does not match): it is not to be trusted further.
    case protocolViolation
    /// The agent refused the request (an instance other than the pinned one).
    case refused
    /// `ssh` could not be started, or the `--ssh` command line is malformed.
    case transport
    /// A saved manifest cannot be used (unreadable, truncated, other level).
    case manifest
  }

  /// What went wrong.
  public var kind: Kind
  /// The sentence for the operator.
  public var message: String

  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}
