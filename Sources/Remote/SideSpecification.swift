/// One side of a verification as the user named it: an instance on this host, an instance on
/// another host, or a saved manifest. Whether a side is remote is decided here, once.
public enum SideSpecification: Sendable, Equatable, CustomStringConvertible {
  /// An imapd.conf or a root directory on this host; `root` re-roots its paths.
  case local(path: String, root: String?)
  /// `[user@]host:PATH`; `root` re-roots its paths on that host.
  case remote(RemoteTarget, root: String?)
  /// A manifest saved by `cyrus-failover manifest`.
  case manifest(path: String)

  /// A side from a command-line argument: remote when it is spelled `[user@]host:PATH`
  /// (rsync's rule, ``RemoteTarget/parse(_:)``), local otherwise.
  public static func parse(_ argument: String, root: String? = nil) throws(RemoteError)
    -> SideSpecification
  {
    if let target = try RemoteTarget.parse(argument) { return .remote(target, root: root) }
    return .local(path: argument, root: root)
  }

  /// Whether the side is on another host.
  public var isRemote: Bool {
    if case .remote = self { return true }
    return false
  }

  public var description: String {
    switch self {
    case .local(let path, let root): root.map { "\(path) (under \($0))" } ?? path
    case .remote(let target, let root): root.map { "\(target) (under \($0))" } ?? target.description
    case .manifest(let path): "manifest \(path)"
    }
  }
}
