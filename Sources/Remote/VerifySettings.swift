import CyrusStore
import Processes
import Verification

/// Everything a ``VerifySession`` needs besides its two sides.
public struct VerifySettings: Sendable {
  /// What each walk includes and how it reads (level, runtime files, hashing threads on this
  /// host, the Berkeley DB reader).
  public var walk: WalkOptions
  /// Hashing threads asked of a remote agent; 0 leaves it to the agent's host.
  public var remoteHashJobs: Int
  /// How to reach a remote side (needed only when one is remote).
  public var ssh: SSHSettings?
  /// This tool's version (the agent handshake must match it).
  public var toolVersion: String
  /// Starts ssh and the Berkeley DB reader.
  public var runner: ProcessRunner
  /// Findings kept per mailbox or area for the reports (all are counted).
  public var detailLimit: Int
  /// What makes the verdict `differences`.
  public var policy: VerdictPolicy
  /// How the sides are compared (across Cyrus versions after an import).
  public var rules: ComparisonRules

  /// Makes settings.
  public init(
    walk: WalkOptions, remoteHashJobs: Int = 0, ssh: SSHSettings? = nil, toolVersion: String,
    runner: ProcessRunner = ProcessRunner(), detailLimit: Int = 20,
    policy: VerdictPolicy = VerdictPolicy(), rules: ComparisonRules = .sameVersion
  ) {
    self.walk = walk
    self.remoteHashJobs = remoteHashJobs
    self.ssh = ssh
    self.toolVersion = toolVersion
    self.runner = runner
    self.detailLimit = detailLimit
    self.policy = policy
    self.rules = rules
  }
}
