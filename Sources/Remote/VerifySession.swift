import CyrusStore
import Verification

/// One verification of a failover (or backup) against its primary, whichever way each side is
/// reached: an instance on this host, an agent over SSH, or a saved manifest. The executable,
/// and the procedure that runs verify as a step, both go through it.
///
/// Opening (``init(primary:failover:settings:)``) finds each side — reads a local imapd.conf,
/// starts ssh and the agent, or opens a manifest — and checks that they can be compared.
/// ``run(sink:progress:)`` then walks both sides at once: a local walk on its own thread, the
/// agent on its host. Where a side is remote only segment digests cross the wire except where
/// they differ (``SegmentPairing``); two local sides, or a local side and a manifest, are
/// merge-joined entry by entry, two local sides at `full` after reading them together
/// (``SameHostPairing``: files compared byte for byte, not each hashed). All end in the same
/// ``ManifestDiff`` and mailbox-list stage, so the findings are the same whichever way the
/// sides were reached. Nothing is written to either side.
public final class VerifySession {
  /// The settings it was opened with.
  public let settings: VerifySettings
  /// What the reports say about the two sides (entry counts filled in by ``run(sink:progress:)``).
  public private(set) var context: VerifyContext
  /// imapd.conf warnings of each side (an unknown option, an include given twice), to show.
  public let diagnostics: [(side: Side, text: String)]
  private let primary: OpenedSide
  private let failover: OpenedSide
  private var sessions: [(side: Side, session: RemoteSession)]
  private var statisticsAtEnd: [(side: Side, statistics: TransportStatistics)] = []
  /// The walks of the local sides (for their digest caches' statistics and estimates).
  private var walkers: [(side: Side, walker: InstanceWalker)] = []
  /// What reading both sides together did (``SameHostPairing``): files compared byte for byte,
  /// files hashed (after ``run(sink:progress:classify:)``; `nil` unless both sides are on this
  /// host and were read together: `full` without a digest cache).
  public private(set) var sameHostStatistics: SameHostStatistics?

  /// Opens both sides.
  /// - Throws: ``CyrusStoreError`` for a local imapd.conf that cannot be read, ``RemoteError``
  ///   for a host that cannot be reached or a manifest that does not fit these settings; a
  ///   side opened already is closed again first.
  public init(
    primary: SideSpecification, failover: SideSpecification, settings: VerifySettings
  ) throws {
    self.settings = settings
    var sessions: [(side: Side, session: RemoteSession)] = []
    var diagnostics: [(side: Side, text: String)] = []
    func open(_ specification: SideSpecification, _ side: Side, offering other: OpenedSide?)
      throws -> OpenedSide
    {
      switch specification {
      case .local(let path, let root):
        let instance = try CyrusInstance.locate(path, root: root)
        diagnostics += instance.conf.diagnostics.map { (side, "\($0)") }
        if let cache = settings.walk.cache {
          try DigestCacheDirectory.check(cache.directory, for: instance)
        }
        // Read once, before the walk: the diff names seen records with it.
        return .local(instance, MailboxFiles.collect(instance))
      case .remote(let target, let root):
        guard let ssh = settings.ssh else {
          throw RemoteError(.transport, "\(target): a remote side needs SSH settings")
        }
        let request = OpenRequest(
          instance: target.path, root: root, level: settings.walk.level,
          includeRuntime: settings.walk.includeRuntime, hashJobs: settings.remoteHashJobs,
          cache: settings.walk.cache?.directory,
          scrubRuns: settings.walk.cache?.scrubRuns ?? DigestCacheSettings.defaultScrubRuns)
        // The other side's mailbox files, by digest: the agent sends its own only if they
        // differ (a hash of each small file; nothing offered if one cannot be read back).
        let offer = other.flatMap { try? MailboxFileOffer($0.mailboxFiles) } ?? MailboxFileOffer()
        let session = try ssh.connect(
          target, request: request, offer: offer, toolVersion: settings.toolVersion,
          runner: settings.runner)
        sessions.append((side, session))
        diagnostics += session.connection.instance.diagnostics.map {
          (side, "\(target.destination): \($0)")
        }
        return .remote(session.connection, label: target.description)
      case .manifest(let path):
        let reader = try ManifestReader(path: path)
        try Self.check(reader, side, settings.walk)
        return .manifest(reader)
      }
    }
    do {
      // A side on this host (or a manifest) is opened first, so that an agent can be offered
      // its mailbox files; of two remote sides, the failover's agent is offered the primary's.
      if primary.isRemote && !failover.isRemote {
        let opened = try open(failover, .failover, offering: nil)
        self.failover = opened
        self.primary = try open(primary, .primary, offering: opened)
      } else {
        let opened = try open(primary, .primary, offering: nil)
        self.primary = opened
        self.failover = try open(failover, .failover, offering: opened)
      }
    } catch {
      for (_, session) in sessions {
        session.abandon("the other side could not be opened: \(error)")
      }
      throw error
    }
    // Primary first, whichever was opened first.
    self.sessions =
      sessions.filter { $0.side == .primary } + sessions.filter { $0.side != .primary }
    self.diagnostics =
      diagnostics.filter { $0.side == .primary } + diagnostics.filter { $0.side != .primary }
    context = VerifyContext(
      primary: self.primary.info, failover: self.failover.info,
      level: settings.walk.level.rawValue)
  }

  deinit {
    for (_, session) in sessions { session.abandon("the local side stopped") }
  }

  /// A saved manifest must have been made with the level and runtime setting of this verify.
  static func check(_ reader: ManifestReader, _ side: Side, _ options: WalkOptions)
    throws(RemoteError)
  {
    let name = side.rawValue
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

  /// Byte and segment counters of each remote side (after ``run(sink:progress:)``).
  public var statistics: [(side: Side, statistics: TransportStatistics)] {
    statisticsAtEnd.isEmpty ? sessions.map { ($0.side, $0.session.statistics) } : statisticsAtEnd
  }

  /// What each local side's digest cache did (after ``run(sink:progress:classify:)``; none
  /// without `--cache`, and none for remote sides, whose agents keep theirs).
  public var cacheStatistics: [(side: Side, statistics: DigestCacheStatistics)] {
    walkers.compactMap { item in item.walker.cacheStatistics.map { (item.side, $0) } }
  }

  /// Files and bytes a side is expected to hold, from the digest cache a local side's previous
  /// walk wrote (the larger, when both sides have one): known once ``run(sink:progress:classify:)``
  /// has started, for progress estimates. The two sides are copies, so either stands for both.
  public var expectedTotals: (files: UInt64, bytes: UInt64)? {
    let known = walkers.compactMap { $0.walker.previousTotals }
    guard let first = known.first else { return nil }
    return known.dropFirst().reduce(first) { (max($0.files, $1.files), max($0.bytes, $1.bytes)) }
  }

  /// Compares the two sides to the end, sending every finding to `sink` as it is found, and
  /// closes the remote sessions.
  /// - Parameter progress: called now and then with the entries, files and bytes taken per
  ///   side.
  /// - Returns: the verdict, the summary the reports are written from, and the context.
  /// - Throws: when a side cannot be read on (a connection dropped, a manifest cut short); the
  ///   remote sessions are abandoned then.
  /// - Parameter classify: called with each finding before anything else sees it (the lag
  ///   classification of ``ChangeClassifier``).
  public func run(
    sink: any FindingSink, progress: ((DiffProgress) -> Void)? = nil,
    classify: ((inout Finding) -> Void)? = nil
  ) throws -> VerifyResult {
    let summary = FindingSummary(detailLimit: settings.detailLimit)
    var target: any FindingSink = FindingFanOut([summary, sink])
    if let classify { target = ClassifyingSink(target, classify) }
    do {
      context = try compare(sink: target, progress: progress)
    } catch {
      for (_, session) in sessions { session.abandon("the local side stopped: \(error)") }
      sessions = []
      throw error
    }
    statisticsAtEnd = sessions.map { ($0.side, $0.session.statistics) }
    for (_, session) in sessions { session.finish() }
    sessions = []
    return VerifyResult(
      verdict: summary.verdict(settings.policy), summary: summary, context: context)
  }

  /// Where mailboxes.db and mailboxlist.txt lie in the walks (the same place on both sides, or
  /// they are not compared as one file), and what the lists say about their bytes.
  private func meaning(_ primarySide: MailboxSide, _ failoverSide: MailboxSide)
    -> MailboxFileMeaning
  {
    func place(_ path: (MailboxFiles) -> String) -> (area: String, path: EntryPath)? {
      let left = MailboxFileMeaning.place(
        of: path(primary.mailboxFiles), in: primary.info.areas)
      let right = MailboxFileMeaning.place(
        of: path(failover.mailboxFiles), in: failover.info.areas)
      guard let left, let right, left.area == right.area, left.path == right.path else {
        return nil
      }
      return left
    }
    return MailboxFileMeaning(
      primary: primarySide, failover: failoverSide, database: place(\.databasePath),
      dump: place(\.dumpPath), rules: settings.rules)
  }

  private func compare(sink: any FindingSink, progress: ((DiffProgress) -> Void)?) throws
    -> VerifyContext
  {
    // Every side has its mailbox files before its entries (an agent sends them right after
    // `opened`, a manifest right after its header): the diff names seen and subscription
    // records with them, and the mailbox-list stage checks them after the walks.
    let reader = settings.walk.berkeleyReader
    let (primarySide, primaryNames) = MailboxSide.loadWithNames(
      primary.mailboxFiles, side: .primary, areaNames: Set(primary.info.areas.map(\.name)),
      berkeley: reader)
    let (failoverSide, failoverNames) = MailboxSide.loadWithNames(
      failover.mailboxFiles, side: .failover, areaNames: Set(failover.info.areas.map(\.name)),
      berkeley: reader)
    let diff = ManifestDiff(
      sink: sink, states: UserStateCheck(primary: primaryNames, failover: failoverNames),
      meaning: meaning(primarySide, failoverSide), rules: settings.rules)
    var prefetchers: [PrefetchingSource] = []
    defer { prefetchers.forEach { $0.cancel() } }
    let options = settings.walk
    func localSource(_ instance: CyrusInstance, _ side: Side) -> PrefetchingSource {
      let walker = InstanceWalker(instance: instance, options: options)
      walkers.append((side, walker))
      let source = PrefetchingSource { walker }
      prefetchers.append(source)
      return source
    }
    let directories: (primary: [MailboxDirectory], failover: [MailboxDirectory])
    if primary.isRemote || failover.isRemote {
      func segments(_ side: OpenedSide, _ role: Side) -> any SegmentSource {
        switch side {
        // Grouped as the agent on the other side groups its segments (protocol 7).
        case .local(let instance, _):
          return LocalSegments(localSource(instance, role), grouped: true)
        case .remote(let connection, _): return connection
        case .manifest(let reader): return LocalSegments(reader, grouped: true)
        }
      }
      let pairing = SegmentPairing(
        primary: segments(primary, .primary), failover: segments(failover, .failover))
      let (pairedLeft, pairedRight) = pairing.sources()
      var left = MailboxDirectoryRecorder(pairedLeft)
      var right = MailboxDirectoryRecorder(pairedRight)
      try diff.run(primary: &left, failover: &right, progress: progress)
      directories = (left.directories, right.directories)
    } else if case .local(let primaryInstance, _) = primary,
      case .local(let failoverInstance, _) = failover, SameHostPairing.applies(to: options)
    {
      let pairing = SameHostPairing(
        primary: primaryInstance, failover: failoverInstance, options: options)
      defer {
        pairing.stop()
        sameHostStatistics = pairing.statistics
      }
      let (pairedLeft, pairedRight) = pairing.sources()
      var left = MailboxDirectoryRecorder(pairedLeft)
      var right = MailboxDirectoryRecorder(pairedRight)
      try diff.run(primary: &left, failover: &right, progress: progress)
      directories = (left.directories, right.directories)
    } else {
      func entries(_ side: OpenedSide, _ role: Side) -> any ManifestSource {
        switch side {
        case .local(let instance, _): return localSource(instance, role)
        case .manifest(let reader): return reader
        case .remote: preconditionFailure("remote sides go through SegmentPairing")
        }
      }
      var left = MailboxDirectoryRecorder(AnySource(entries(primary, .primary)))
      var right = MailboxDirectoryRecorder(AnySource(entries(failover, .failover)))
      try diff.run(primary: &left, failover: &right, progress: progress)
      directories = (left.directories, right.directories)
    }
    // The mailbox-list stage, from the mailbox files each side carries.
    return diff.finish(
      primary: primarySide, failover: failoverSide, directories: directories, context: context)
  }
}

/// What a verification ends with.
public struct VerifyResult {
  /// Consistent, differences, or could not verify completely.
  public var verdict: Verdict
  /// Every finding counted, the first ones of each mailbox kept: what reports are written from.
  public var summary: FindingSummary
  /// The two sides and the entry counts.
  public var context: VerifyContext
}

/// One side once opened.
enum OpenedSide {
  /// An instance on this host, and its mailbox files as read when it was opened.
  case local(CyrusInstance, MailboxFiles)
  /// An instance on another host, through a connected agent; `label` is `host:path`.
  case remote(AgentConnection, label: String)
  /// A saved manifest.
  case manifest(ManifestReader)

  var isRemote: Bool {
    if case .remote = self { return true }
    return false
  }

  /// The side's mailboxes.db and mailboxlist.txt: read here, sent by the agent, or saved in the
  /// manifest.
  var mailboxFiles: MailboxFiles {
    switch self {
    case .local(_, let files): files
    case .remote(let connection, _): connection.mailboxFiles
    case .manifest(let reader): reader.mailboxFiles
    }
  }

  var info: VerifyContext.SideInfo {
    switch self {
    case .local(let instance, _):
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

/// Changes each finding before passing it on.
final class ClassifyingSink: FindingSink {
  private let base: any FindingSink
  private let change: (inout Finding) -> Void

  init(_ base: any FindingSink, _ change: @escaping (inout Finding) -> Void) {
    self.base = base
    self.change = change
  }

  func emit(_ finding: Finding) {
    var changed = finding
    change(&changed)
    base.emit(changed)
  }
}

/// An existential source as a concrete one, for the generic diff.
struct AnySource: ManifestSource {
  var base: any ManifestSource
  init(_ base: any ManifestSource) { self.base = base }
  mutating func next() throws -> ManifestEntry? { try base.next() }
}
