import Foundation
import Processes

/// Signs a sign-off and checks a signature with OpenSSH's file signatures (`ssh-keygen -Y`,
/// the ecosystem's way to sign a file with an SSH key), in the namespace
/// ``namespace``, so a signature made for anything else (a git commit, another tool) does not
/// verify here.
public enum SignOffSignature {
  /// The `-n` namespace of every sign-off signature.
  public static let namespace = "cyrus-failover-signoff"
  /// Longest signature read back (an armored SSHSIG is well under 4 KiB).
  static let signatureLimit = 64 << 10

  /// Signs `file` with the private key `key` (or the agent's key for a public key file) and
  /// writes the armored signature to `file.sig` atomically.
  ///
  /// ssh-keygen reads the file on its standard input and writes the signature to its standard
  /// output: its `-Y sign FILE` form asks on the terminal before it replaces an older
  /// `FILE.sig`, and exits 0 without writing when nobody answers.
  /// - Parameter environment: ssh-keygen's (`SSH_AUTH_SOCK` for a key in the agent).
  /// - Throws: ``SignOffError`` when ssh-keygen is missing or fails.
  public static func sign(
    file: String, key: String, runner: ProcessRunner, environment: [String: String]
  ) throws -> String {
    let outcome = try run(
      ["-Y", "sign", "-f", key, "-n", namespace], input: file, runner: runner,
      environment: environment)
    let text = outcome.outputText
    guard outcome.succeeded, text.hasPrefix("-----BEGIN SSH SIGNATURE-----") else {
      throw SignOffError(
        .signature,
        "ssh-keygen -Y sign -f \(key) did not sign \(file) (\(outcome.summary)): "
          + outcome.shownError())
    }
    let signature = file + ".sig"
    try AtomicFile.replace(signature, with: outcome.standardOutput, mode: 0o644)
    return signature
  }

  /// Whether `signature` is a good signature of `file` by `identity`, whose key
  /// `allowedSigners` (ssh-keygen's ALLOWED SIGNERS format) lists for this namespace.
  /// - Returns: ssh-keygen's own words on success (`Good "…" signature for ID with … key …`).
  /// - Throws: ``SignOffError`` (`.signature`) saying why it does not verify.
  public static func verify(
    file: String, signature: String, allowedSigners: String, identity: String,
    runner: ProcessRunner, environment: [String: String]
  ) throws -> String {
    let outcome = try run(
      [
        "-Y", "verify", "-f", allowedSigners, "-I", identity, "-n", namespace, "-s", signature,
      ], input: file, runner: runner, environment: environment)
    // ssh-keygen's words on one line.
    let said = ProcessOutcome.shown(
      outcome.outputText + "\n" + outcome.errorText, lines: Int.max, limit: Int.max)
    guard outcome.succeeded else {
      throw SignOffError(
        .signature,
        "the signature \(signature) does not verify for \(identity) with \(allowedSigners): "
          + (said.isEmpty ? outcome.summary : String(said.suffix(500))))
    }
    return said
  }

  private static func run(
    _ arguments: [String], input: String, runner: ProcessRunner,
    environment: [String: String]
  ) throws -> ProcessOutcome {
    let searchPath = environment["PATH"] ?? Invocation.minimalEnvironment["PATH"] ?? "/usr/bin:/bin"
    guard let program = Invocation.resolve("ssh-keygen", searchPath: searchPath) else {
      throw SignOffError(
        .signature, "ssh-keygen is not installed on this host (Debian: openssh-client)")
    }
    let invocation = Invocation(
      program, arguments, environment: environment, standardInput: .file(input),
      standardOutput: .capture(limit: signatureLimit),
      standardError: .captureTail(limit: 16 << 10))
    return try runner.run(invocation, timeLimit: .seconds(120))
  }
}

/// Why a sign-off could not be written, read or trusted.
public struct SignOffError: Error, Sendable, CustomStringConvertible {
  /// What kind of problem.
  public enum Kind: String, Sendable {
    /// The directory or a file in it could not be written.
    case write
    /// signoff.json is missing, cut short, not JSON, or of another schema or version.
    case unreadable
    /// A manifest of the sign-off is missing or does not hash to what it records.
    case manifest
    /// Signing failed, or a signature does not verify.
    case signature
  }

  /// What kind of problem.
  public var kind: Kind
  /// What happened, naming the file.
  public var message: String

  /// Makes an error.
  public init(_ kind: Kind, _ message: String) {
    self.kind = kind
    self.message = message
  }

  public var description: String { message }
}
