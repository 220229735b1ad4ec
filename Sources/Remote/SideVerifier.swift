import CyrusStore
import Verification

/// One side of a comparison, wherever it is.
public enum VerifySide {
  /// An instance on this host.
  case local(CyrusInstance)
  /// An instance on another host, through a connected agent; `label` is `host:path`.
  case remote(AgentConnection, label: String)
  /// A saved manifest.
  case manifest(ManifestReader)

  /// The side's mailboxes.db and mailboxlist.txt: read here, sent by the agent, or saved in the
  /// manifest.
  var mailboxFiles: MailboxFiles {
    switch self {
    case .local(let instance): MailboxFiles.collect(instance)
    case .remote(let connection, _): connection.mailboxFiles
    case .manifest(let reader): reader.mailboxFiles
    }
  }

  var info: VerifyContext.SideInfo {
    switch self {
    case .local(let instance):
      return .init(
        configFile: instance.configFile, root: instance.root,
        areas: instance.areas.map { ($0.name, $0.path) })
    case .remote(let connection, let label):
      let host = label.split(separator: ":", maxSplits: 1).first.map(String.init) ?? label
      let instance = connection.instance
      return .init(
        configFile: "\(host):\(instance.configFile)", root: instance.root,
        areas: instance.areas.map { ($0.name, $0.path) })
    case .manifest(let reader):
      let instance = reader.header.instance
      return .init(
        configFile: "\(reader.path) (manifest of \(reader.header.origin))", root: instance.root,
        areas: instance.areas.map { ($0.name, $0.path) })
    }
  }
}

/// Compares two sides of which at least one is remote or a saved manifest. Both sides are read
/// at the same time (a local walk on its own thread, the agent on its host); where a side is
/// remote, only segment digests cross the wire except where they differ (``SegmentPairing``).
/// The findings are those ``Verifier`` reports for the same two trees.
public final class SideVerifier: VerificationRun {
  public let primary: VerifySide
  public let failover: VerifySide
  public let options: WalkOptions
  /// Segment counts of the last run (zero when no side was remote).
  public private(set) var matchedSegments = 0
  public private(set) var differingSegments = 0

  /// Makes a verifier; a saved manifest must have been made with the same level and runtime
  /// setting as `options`.
  public init(primary: VerifySide, failover: VerifySide, options: WalkOptions) throws(RemoteError) {
    for (side, name) in [(primary, "primary"), (failover, "failover")] {
      guard case .manifest(let reader) = side else { continue }
      guard reader.header.level == options.level else {
        throw RemoteError(
          .manifest,
          "\(reader.path): the \(name) manifest was made with --level \(reader.header.level.rawValue); verify with "
            + "--level \(reader.header.level.rawValue), or save a new manifest with --level \(options.level.rawValue)"
        )
      }
      guard reader.header.includeRuntime == options.includeRuntime else {
        throw RemoteError(
          .manifest,
          "\(reader.path): the \(name) manifest was made \(reader.header.includeRuntime ? "with" : "without") "
            + "--include-runtime; verify the same way")
      }
    }
    self.primary = primary
    self.failover = failover
    self.options = options
  }

  public var context: VerifyContext {
    VerifyContext(primary: primary.info, failover: failover.info, level: options.level.rawValue)
  }

  public func run(sink: any FindingSink, progress: ((Int, Int) -> Void)?) throws -> VerifyContext {
    // Every side has its mailbox files before its entries (an agent sends them right after
    // `opened`, a manifest right after its header): the diff names seen and subscription
    // records with them, and the mailbox-list stage checks them after the walks.
    let (primarySide, primaryNames) = MailboxSide.loadWithNames(
      primary.mailboxFiles, side: .primary, areaNames: Set(primary.info.areas.map(\.name)))
    let (failoverSide, failoverNames) = MailboxSide.loadWithNames(
      failover.mailboxFiles, side: .failover, areaNames: Set(failover.info.areas.map(\.name)))
    let diff = ManifestDiff(
      sink: sink, states: UserStateCheck(primary: primaryNames, failover: failoverNames))
    var prefetchers: [PrefetchingSource] = []
    defer { prefetchers.forEach { $0.cancel() } }
    func localSource(_ instance: CyrusInstance) -> PrefetchingSource {
      let options = self.options
      let source = PrefetchingSource { InstanceWalker(instance: instance, options: options) }
      prefetchers.append(source)
      return source
    }
    func segments(_ side: VerifySide) -> any SegmentSource {
      switch side {
      case .local(let instance): return LocalSegments(localSource(instance))
      case .remote(let connection, _): return connection
      case .manifest(let reader): return LocalSegments(reader)
      }
    }
    func entries(_ side: VerifySide) -> any ManifestSource {
      switch side {
      case .local(let instance): return localSource(instance)
      case .manifest(let reader): return reader
      case .remote: preconditionFailure("remote sides go through SegmentPairing")
      }
    }
    let anyRemote = [primary, failover].contains {
      if case .remote = $0 { return true } else { return false }
    }
    let directories: (primary: [MailboxDirectory], failover: [MailboxDirectory])
    if anyRemote {
      let pairing = SegmentPairing(primary: segments(primary), failover: segments(failover))
      let (pairedLeft, pairedRight) = pairing.sources()
      var left = MailboxDirectoryRecorder(pairedLeft)
      var right = MailboxDirectoryRecorder(pairedRight)
      try diff.run(primary: &left, failover: &right, progress: progress)
      directories = (left.directories, right.directories)
      matchedSegments = pairing.matchedSegments
      differingSegments = pairing.differingSegments
    } else {
      var left = MailboxDirectoryRecorder(AnySource(entries(primary)))
      var right = MailboxDirectoryRecorder(AnySource(entries(failover)))
      try diff.run(primary: &left, failover: &right, progress: progress)
      directories = (left.directories, right.directories)
    }
    // The mailbox-list stage, as for two local sides, from the mailbox files each side carries.
    return diff.finish(
      primary: primarySide, failover: failoverSide, directories: directories, context: context)
  }
}

/// An existential source as a concrete one, for the generic diff.
struct AnySource: ManifestSource {
  var base: any ManifestSource
  init(_ base: any ManifestSource) { self.base = base }
  mutating func next() throws -> ManifestEntry? { try base.next() }
}
