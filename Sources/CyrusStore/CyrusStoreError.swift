/// Why a Cyrus instance could not be read at all (exit status 2), as opposed to a problem with
/// something being checked, which becomes a finding.
public struct CyrusStoreError: Error, Sendable, CustomStringConvertible {
  /// What went wrong.
  public enum Kind: String, Sendable {
    /// The path does not exist.
    case notFound
    /// The path exists but may not be read.
    case permissionDenied
    /// A directory was expected and something else is there, or the reverse.
    case wrongType
    /// `imapd.conf` lacks a key the tool needs.
    case missingOption
    /// `imapd.conf` has a value the tool cannot use.
    case badOption
    /// Any other system error.
    case system
    /// A file is larger than the tool's limit for it.
    case tooLarge
  }

  /// What went wrong.
  public var kind: Kind
  /// The file or directory concerned.
  public var path: String
  /// A sentence for the operator.
  public var detail: String

  /// Makes an error.
  public init(_ kind: Kind, path: String, detail: String) {
    self.kind = kind
    self.path = path
    self.detail = detail
  }

  public var description: String { "\(path): \(detail)" }
}
