/// A side on another host, spelled the way rsync and scp spell it: `[user@]host:PATH`.
public struct RemoteTarget: Sendable, Equatable, CustomStringConvertible {
  /// `host` or `user@host` (an IPv6 address in brackets keeps them: `[::1]`).
  public var destination: String
  /// The path on that host (an imapd.conf or a root directory).
  public var path: String

  public init(destination: String, path: String) {
    self.destination = destination
    self.path = path
  }

  /// Parses an argument: remote when a `:` comes before any `/` (rsync's rule), so
  /// `./odd:name` and `/mnt/a:b` stay local.
  /// - Returns: `nil` for a local path.
  /// - Throws: ``RemoteError`` for a remote spelling that cannot be used safely.
  public static func parse(_ argument: String) throws(RemoteError) -> RemoteTarget? {
    var host: Substring
    var path: Substring
    if argument.hasPrefix("[") || argument.contains("@[") {
      guard let close = argument.range(of: "]:") else { return nil }
      host = argument[..<close.lowerBound] + "]"
      path = argument[close.upperBound...]
    } else {
      guard let colon = argument.firstIndex(of: ":") else { return nil }
      host = argument[..<colon]
      path = argument[argument.index(after: colon)...]
      if host.contains("/") { return nil }
    }
    guard !host.isEmpty else { return nil }
    guard !host.hasPrefix("-") else {
      throw RemoteError(
        .transport, "'\(host)' is not a host name (it would be read as an ssh option)")
    }
    guard host.allSatisfy({ !$0.isWhitespace && $0 != "'" && $0 != "\"" && $0 != "\\" }) else {
      throw RemoteError(.transport, "'\(host)' is not a host name")
    }
    guard !path.isEmpty else {
      throw RemoteError(
        .transport,
        "\(argument): give the imapd.conf or root directory after the ':' (host:/etc/imapd.conf)")
    }
    return RemoteTarget(destination: String(host), path: String(path))
  }

  public var description: String { "\(destination):\(path)" }
}
