import CSpawn
import Glibc

/// What a child that reads untrusted input puts on itself before it reads a byte of it: the
/// Berkeley DB reader (`read-berkeley-db`), whose libdb is not memory-safe on damaged files.
/// Resource limits — no core file, no byte written to any file, a bounded address space and CPU
/// time — and, when it runs as root, an unprivileged identity with no supplementary groups, no
/// way back to root and no new privileges through exec (`cspawn_enter_sandbox` in `CSpawn`).
///
/// The parent chooses the sandbox and passes it on the child's command line (``argument``); the
/// child calls ``enter()`` first thing. What the sandbox leaves open is in
/// Sources/BerkeleyDB/README.md ("The reader's sandbox").
public struct Sandbox: Sendable, Equatable {
  /// Most address space, in bytes (`RLIMIT_AS`): allocations past it fail.
  public var addressSpaceBytes: UInt64
  /// Most CPU time, in seconds (`RLIMIT_CPU`): `SIGXCPU` then, `SIGKILL` 5 s later.
  public var cpuSeconds: UInt64
  /// The user and group to become; `nil` keeps the process's own (it is not root).
  public var identity: Identity?

  /// A user and a group id.
  public struct Identity: Sendable, Equatable {
    public var user: UInt32
    public var group: UInt32

    public init(user: UInt32, group: UInt32) {
      self.user = user
      self.group = group
    }
  }

  public init(addressSpaceBytes: UInt64, cpuSeconds: UInt64, identity: Identity?) {
    self.addressSpaceBytes = addressSpaceBytes
    self.cpuSeconds = cpuSeconds
    self.identity = identity
  }

  /// The account `nobody` and its group (65534 each where the password database has no such
  /// account) when this process runs as root; `nil` otherwise, since it has no other identity
  /// to give. Not the `cyrus` user: a child hijacked as `cyrus` could delete or truncate every
  /// mailbox (a file size limit stops growth, not `unlink` or `ftruncate`); as `nobody` it owns
  /// nothing, and reads its file through the descriptor it was given.
  public static func unprivilegedIdentity() -> Identity? {
    guard geteuid() == 0 else { return nil }
    var uid: uid_t = 0
    var gid: gid_t = 0
    if cspawn_lookup_user("nobody", &uid, &gid) == 0, uid != 0, gid != 0 {
      return Identity(user: uid, group: gid)
    }
    return Identity(user: 65534, group: 65534)  // nobody and nogroup on Debian
  }

  /// The sandbox as one command-line word: `as=BYTES,cpu=SECONDS` and, with an identity,
  /// `,uid=N,gid=N`.
  public var argument: String {
    var fields = ["as=\(addressSpaceBytes)", "cpu=\(cpuSeconds)"]
    if let identity { fields += ["uid=\(identity.user)", "gid=\(identity.group)"] }
    return fields.joined(separator: ",")
  }

  /// Reads what ``argument`` wrote; `nil` for anything else (a field missing, unknown,
  /// repeated or out of range, a user without a group).
  public init?(argument: String) {
    var values: [String: UInt64] = [:]
    for field in argument.split(separator: ",", omittingEmptySubsequences: false) {
      let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2, ["as", "cpu", "uid", "gid"].contains(String(parts[0])),
        values[String(parts[0])] == nil, let value = UInt64(parts[1])
      else { return nil }
      values[String(parts[0])] = value
    }
    guard let space = values["as"], let cpu = values["cpu"], space > 0, cpu > 0,
      cpu < UInt64(Int32.max)
    else { return nil }
    switch (values["uid"], values["gid"]) {
    case (nil, nil):
      identity = nil
    case (let user?, let group?):
      guard user < UInt64(UInt32.max), group < UInt64(UInt32.max) else { return nil }
      identity = Identity(user: UInt32(user), group: UInt32(group))
    default:
      return nil
    }
    addressSpaceBytes = space
    cpuSeconds = cpu
  }

  /// Puts the sandbox on this process. Call it before reading any untrusted input, and exit
  /// when it throws: the process is then half sandboxed.
  /// - Throws: ``SandboxError`` naming the step that failed and its errno.
  public func enter() throws(SandboxError) {
    var step: UnsafePointer<CChar>?
    let code = cspawn_enter_sandbox(
      addressSpaceBytes, cpuSeconds, identity == nil ? 0 : 1, identity?.user ?? 0,
      identity?.group ?? 0, &step)
    guard code == 0 else {
      throw SandboxError(
        step: step.map { String(cString: $0) } ?? "?", reason: String(cString: strerror(code)))
    }
  }
}

/// A sandbox that could not be entered: the step (a system call) and why.
public struct SandboxError: Error, Sendable, CustomStringConvertible {
  /// The step that failed, e.g. `setgroups`.
  public var step: String
  /// The errno text.
  public var reason: String

  public var description: String { "cannot enter the sandbox: \(step): \(reason)" }
}
