import Verification

/// The record an administrator shows before a failover is put into service: what the last
/// verification found (alone, or at the end of a `sync` or a repair), both hosts and their
/// Cyrus versions, the procedure's steps and stopped window, and a digest of each side's
/// manifest, so that `promote` can prove later that the failover has not changed since.
///
/// Written by ``SignOffWriter`` into a directory as `signoff.json` (this value, schema in
/// docs/signoff.md), `signoff.html` (the same for people, ``html``), the two manifests, and
/// with a key `signoff.json.sig`. Every member name is spelled out (snake case) here, so the
/// schema does not move when a type it is made from changes.
public struct SignOff: Sendable, Codable, Equatable {
  /// The value of `schema`.
  public static let schemaName = "cyrus-failover.signoff"
  /// The schema version written and the only one read; it changes only when a member changes
  /// meaning (members may be added without a change).
  public static let schemaVersion = 1
  /// The files in a sign-off directory.
  public static let jsonName = "signoff.json"
  public static let htmlName = "signoff.html"
  public static let signatureName = "signoff.json.sig"
  public static let primaryManifestName = "primary.cfm"
  public static let failoverManifestName = "failover.cfm"

  /// Always ``schemaName``.
  public var schema: String
  /// Always ``schemaVersion`` when written.
  public var version: Int
  /// The cyrus-failover version that wrote it.
  public var toolVersion: String
  /// The command: `verify`, `sync` or `repair`.
  public var madeBy: String
  /// When it was written: ISO 8601, UTC, seconds.
  public var created: String
  /// The verification's verdict (`incomplete` when a procedure ended before its verification).
  public var verdict: Verdict
  /// The exit status that verdict stands for.
  public var exitStatus: Int32
  /// The verification's level (`meta`, `guid`, `full`).
  public var level: String
  /// What made the verdict `differences`.
  public var policy: Policy
  /// The two sides.
  public var primary: Side
  public var failover: Side
  /// The procedure's steps, window and transfers, when a procedure wrote it.
  public var procedure: Procedure?
  /// Counts and the findings themselves.
  public var findings: Findings
  /// Each side's manifest saved beside the report.
  public var manifests: Manifests

  enum CodingKeys: String, CodingKey {
    case schema, version
    case toolVersion = "tool_version"
    case madeBy = "made_by"
    case created, verdict
    case exitStatus = "exit_status"
    case level, policy, primary, failover, procedure, findings, manifests
  }

  /// `--fail-on` and `--fail-on-shared` of the verification.
  public struct Policy: Sendable, Codable, Equatable {
    public var failOn: Severity
    public var failOnShared: Bool

    /// The policy of a verification.
    public init(_ policy: VerdictPolicy) {
      failOn = policy.failOn
      failOnShared = policy.failOnShared
    }

    /// The verification's policy again.
    public var verdictPolicy: VerdictPolicy {
      VerdictPolicy(failOn: failOn, failOnShared: failOnShared)
    }

    enum CodingKeys: String, CodingKey {
      case failOn = "fail_on"
      case failOnShared = "fail_on_shared"
    }
  }

  /// One side: where it is, what its host runs, which instance.
  public struct Side: Sendable, Codable, Equatable {
    /// `primary` or `failover`.
    public var role: String
    /// As it was named: an imapd.conf or root, `[user@]host:PATH`, or a manifest file.
    public var given: String
    /// `local`, `remote` or `manifest`.
    public var place: String
    /// The host's name and `/etc/machine-id`, from its probe (none for a manifest).
    public var host: String?
    public var machineID: String?
    /// The imapd.conf read on that host (made absolute for a local side), the root its
    /// paths are read under, and its areas: name → path on that host.
    public var configFile: String
    public var root: String?
    public var areas: [String: String]
    /// The Cyrus package version installed there, every Cyrus package, the family of the
    /// installed Cyrus and of the data.
    public var cyrusVersion: String?
    public var cyrusPackages: [String: String]
    public var cyrusFamily: String?
    public var dataFamily: String?
    /// How its Cyrus is run: `systemd cyrus-imapd`, `sysv /etc/init.d/cyrus-imapd`.
    public var service: String?

    enum CodingKeys: String, CodingKey {
      case role, given, place, host
      case machineID = "machine_id"
      case configFile = "config_file"
      case root, areas
      case cyrusVersion = "cyrus_version"
      case cyrusPackages = "cyrus_packages"
      case cyrusFamily = "cyrus_family"
      case dataFamily = "data_family"
      case service
    }
  }

  /// The two manifests (the primary's is there for verify and sync).
  public struct Manifests: Sendable, Codable, Equatable {
    public var primary: Manifest?
    public var failover: Manifest
  }

  /// One manifest file beside the report, and what identifies it.
  public struct Manifest: Sendable, Codable, Equatable {
    /// Its name in the sign-off directory.
    public var file: String
    /// SHA-256 of the file (64 hex digits).
    public var sha256: String
    /// The canonical digest of its entries (docs/signoff.md: independent of the header).
    public var entriesDigest: String
    /// Entries and bytes.
    public var entries: Int
    public var bytes: Int
    /// Its walk: level and runtime files; the manifest format (the entry encoding the digest
    /// is taken over).
    public var level: String
    public var includeRuntime: Bool
    public var formatVersion: Int
    /// When it was saved (seconds since the epoch), where from, by which tool version.
    public var created: Int64
    public var origin: String
    public var toolVersion: String

    enum CodingKeys: String, CodingKey {
      case file, sha256
      case entriesDigest = "entries_digest"
      case entries, bytes, level
      case includeRuntime = "include_runtime"
      case formatVersion = "format_version"
      case created, origin
      case toolVersion = "tool_version"
    }
  }
}
