import CyrusStore

/// Compares two Cyrus instances file by file: walks both at once, merge-joins the walks and
/// sends every finding to the sink. Reads only; never writes to either side.
public struct Verifier: Sendable {
  /// The side being verified against.
  public var primary: CyrusInstance
  /// The copy being verified.
  public var failover: CyrusInstance
  /// What the walk includes.
  public var options: WalkOptions

  /// Makes a verifier.
  public init(primary: CyrusInstance, failover: CyrusInstance, options: WalkOptions) {
    self.primary = primary
    self.failover = failover
    self.options = options
  }

  /// The report context before the run.
  public var context: VerifyContext {
    VerifyContext(
      primary: Self.info(primary), failover: Self.info(failover), level: options.level.rawValue)
  }

  static func info(_ instance: CyrusInstance) -> VerifyContext.SideInfo {
    .init(
      configFile: instance.configFile, root: instance.root,
      areas: instance.areas.map { ($0.name, $0.path) })
  }

  /// A local side's mailbox files, loaded (without directories yet), and its name index.
  static func mailboxSide(_ instance: CyrusInstance, _ side: Side) -> (
    MailboxSide, MailboxNameIndex
  ) {
    MailboxSide.loadWithNames(
      MailboxFiles.collect(instance), side: side, areaNames: Set(instance.areas.map(\.name)))
  }

  /// Runs the comparison to the end.
  /// - Returns: the context with entry counts filled in.
  public func run(sink: any FindingSink, progress: ((Int, Int) -> Void)? = nil) throws
    -> VerifyContext
  {
    let options = self.options
    let primary = self.primary
    let failover = self.failover
    let primaryWalk = PrefetchingSource { InstanceWalker(instance: primary, options: options) }
    let failoverWalk = PrefetchingSource { InstanceWalker(instance: failover, options: options) }
    defer {
      primaryWalk.cancel()
      failoverWalk.cancel()
    }
    // Each side's mailbox list is read first: the diff names seen and subscription records
    // with it, and the mailbox-list stage checks it once the walks are done.
    let (primarySide, primaryNames) = Self.mailboxSide(primary, .primary)
    let (failoverSide, failoverNames) = Self.mailboxSide(failover, .failover)
    var left = MailboxDirectoryRecorder(primaryWalk)
    var right = MailboxDirectoryRecorder(failoverWalk)
    let diff = ManifestDiff(
      sink: sink, states: UserStateCheck(primary: primaryNames, failover: failoverNames))
    try diff.run(primary: &left, failover: &right, progress: progress)
    return diff.finish(
      primary: primarySide, failover: failoverSide,
      directories: (left.directories, right.directories), context: context)
  }
}
