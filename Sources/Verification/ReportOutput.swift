/// Where a report goes. The library never prints; the executable passes standard output.
public protocol ReportOutput: AnyObject {
  /// Appends text.
  func write(_ text: String)
}

/// Collects a report in memory (tests).
public final class StringOutput: ReportOutput {
  /// Everything written so far.
  public private(set) var text = ""
  /// An empty output.
  public init() {}
  public func write(_ text: String) { self.text += text }
}

/// What a report says about the run besides its findings.
public struct VerifyContext: Sendable {
  /// One side as found.
  public struct SideInfo: Sendable {
    /// The `imapd.conf` read.
    public var configFile: String
    /// Re-root prefix, if any.
    public var root: String?
    /// `name=path` of every area.
    public var areas: [(name: String, path: String)]

    /// Makes side information.
    public init(configFile: String, root: String?, areas: [(name: String, path: String)]) {
      self.configFile = configFile
      self.root = root
      self.areas = areas
    }
  }

  /// The primary.
  public var primary: SideInfo
  /// The failover.
  public var failover: SideInfo
  /// `meta` or `full`.
  public var level: String
  /// Entries read per side and compared.
  public var primaryEntries = 0
  public var failoverEntries = 0
  public var comparedEntries = 0

  /// Makes a context.
  public init(primary: SideInfo, failover: SideInfo, level: String) {
    self.primary = primary
    self.failover = failover
    self.level = level
  }
}
