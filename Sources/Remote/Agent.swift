import CyrusStore
import Verification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The remote half of the protocol (`cyrus-failover agent`): answers one `open`, walks that
/// instance, and streams segment summaries, sending a segment's entries only when asked.
///
/// The agent only reads. The only path it is ever given is the instance in `open`; it walks that
/// instance's areas and nothing else, and no message names a file to read. With `pinned` (the
/// `--instance` of a forced command in `authorized_keys`) it refuses any other instance.
public struct Agent {
  /// The tool version, sent in `hello`.
  public var toolVersion: String
  /// The only instance this agent serves, if pinned.
  public var pinned: String?
  /// The protocol version announced (tests of the mismatch message use another).
  public var protocolVersion: UInt16 = AgentProtocol.version
  /// Test hook: stop sending after this many summaries and wait to be killed.
  public var pauseAfterSegments: Int?
  /// The agent's own `--hash-jobs`: the hashing threads on this host when the local side leaves
  /// the number to the agent, and the most it may ask for.
  public var hashJobs: Int?
  /// Reads the Berkeley DB files of the instance (the walk's seen databases of Cyrus 2.x).
  public var berkeleyReader: any BerkeleyRecordReader
  /// The agent's own digest cache directory (`agent --cache`): used whatever the local side
  /// asks for; without it, a pinned agent keeps no cache.
  public var cacheDirectory: String?

  public init(
    toolVersion: String, pinned: String? = nil,
    berkeleyReader: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) {
    self.toolVersion = toolVersion
    self.pinned = pinned
    self.berkeleyReader = berkeleyReader
  }

  /// Serves one session on `channel` until the walk is over and every segment is answered.
  /// Failures the local side should hear of are sent as `error` frames, then thrown.
  public func serve(_ channel: ByteChannel) throws {
    channel.sendRaw(AgentProtocol.agentMagic)
    try channel.flush()
    if let wrong = try channel.readMagic(AgentProtocol.clientMagic) {
      throw RemoteProtocolError(
        .badMagic, offset: 0,
        detail: "the local side is not cyrus-failover (got \(wrong.count) other bytes)")
    }
    guard let first = try channel.receive(), first.kind == .hello else {
      throw RemoteProtocolError(.unexpected, detail: "the local side did not start with hello")
    }
    let theirs = try Hello(first)
    try channel.send(Hello(protocolVersion: protocolVersion, toolVersion: toolVersion).frame)
    guard theirs.protocolVersion == protocolVersion else {
      try channel.flush()
      throw RemoteError(
        .versionMismatch,
        "the local cyrus-failover \(theirs.toolVersion) speaks protocol \(theirs.protocolVersion), this agent "
          + "(\(toolVersion)) speaks \(protocolVersion)")
    }
    guard let openFrame = try channel.receive(), openFrame.kind == .open else {
      throw RemoteProtocolError(.unexpected, detail: "expected open after hello")
    }
    let request = try OpenRequest(openFrame)
    let instance: CyrusInstance
    let cache: DigestCacheSettings?
    do {
      if let pinned, pinned != request.instance {
        throw RemoteError(
          .refused, "this agent serves only the instance \(pinned), not \(request.instance)")
      }
      // A root chosen by the client would re-root the pinned instance's paths anywhere.
      if let pinned, let root = request.root {
        throw RemoteError(
          .refused, "this agent serves only the instance \(pinned) as configured, not under \(root)"
        )
      }
      instance = try CyrusInstance.locate(request.instance, root: request.root)
      cache = try cacheSettings(for: request, instance: instance)
    } catch {
      try? channel.send(ErrorMessage("\(error)").frame)
      try? channel.flush()
      throw error
    }
    try channel.send(InstanceDescription(instance).frame)
    do {
      try MailboxFilesCodec.forEachFrame(MailboxFiles.collect(instance), offered: request.offered) {
        try channel.send($0)
      }
    } catch let error as ChannelError {
      throw error
    } catch {
      // A temporary copy that cannot be read back: the local side is told why.
      try? channel.send(ErrorMessage("\(error)").frame)
      try? channel.flush()
      throw error
    }
    try channel.flush()
    try stream(instance, request: request, cache: cache, channel: channel)
  }

  /// The digest cache for a request: in the agent's own directory, else (not pinned) in the
  /// one asked for; `incremental` needs one, `full` writes one when there is one.
  func cacheSettings(for request: OpenRequest, instance: CyrusInstance) throws
    -> DigestCacheSettings?
  {
    guard request.level == .incremental || request.level == .full else { return nil }
    guard let directory = cacheDirectory ?? (pinned == nil ? request.cache : nil) else {
      guard request.level == .incremental else { return nil }
      throw RemoteError(
        .refused,
        "--level incremental needs a digest cache on this host: add --cache DIR to the agent's "
          + "command (the forced command in authorized_keys)")
    }
    try DigestCacheDirectory.check(directory, for: instance)
    return DigestCacheSettings(
      directory: directory, trusted: request.level == .incremental, scrubRuns: request.scrubRuns)
  }

  private func stream(
    _ instance: CyrusInstance, request: OpenRequest, cache: DigestCacheSettings?,
    channel: ByteChannel
  ) throws {
    var walk = WalkOptions(
      level: request.level, includeRuntime: request.includeRuntime,
      hashJobs: hashJobs(asked: request.hashJobs), berkeleyReader: berkeleyReader)
    walk.cache = cache
    let options = walk
    var segmenter = Segmenter(
      PrefetchingSource { InstanceWalker(instance: instance, options: options) })
    var summaries = SummaryEncoder()
    var groups = GroupEncoder()
    var grouper = SegmentGrouper()
    var pending = PendingItems()
    var sent = 0
    /// Announces a closed group and holds its segments until it is answered.
    func announce(_ closed: (GroupSummary, [Segment])) throws {
      try channel.send(groups.frame(closed.0))
      pending.append(group: closed.1)
    }
    while true {
      // Answers are read as they come, and waited for while the window (the groups sent, and
      // the one being gathered) is full; with nothing pending there is nothing to wait for.
      var answered = false
      while channel.hasInput()
        || (pending.count > 0
          && (pending.segments + grouper.segments >= RemoteLimits.pendingSegments
            || pending.bytes + grouper.bytes >= RemoteLimits.pendingBytes))
      {
        try answer(&pending, summaries: &summaries, channel: channel)
        answered = true
      }
      // What the answers asked for goes out now: the local side waits for it, and the next
      // segment may take long to walk (a large file to hash).
      if answered { try channel.flush() }
      guard let segment = try segmenter.next() else { break }
      if request.everything {
        try channel.send(summaries.frame(segment.summary))
        try channel.send(Frame(.detail, segment.encoded))
      } else if let closed = grouper.add(segment.withoutEntries) {
        try announce(closed)
      }
      try channel.flushIfDue()
      sent += 1
      if let pause = pauseAfterSegments, sent >= pause {
        try channel.flush()
        while true { sleep(60) }
      }
    }
    if let closed = grouper.finish() { try announce(closed) }
    try channel.send(EndMessage(segments: segmenter.segments, entries: segmenter.entries).frame)
    while pending.count > 0 { try answer(&pending, summaries: &summaries, channel: channel) }
    try channel.flush()
  }

  /// The hashing threads for a request asking for `asked` (0: the agent's choice).
  func hashJobs(asked: Int) -> Int {
    let own = hashJobs ?? WalkOptions.defaultHashJobs
    guard asked > 0 else { return own }
    return hashJobs.map { min(asked, $0) } ?? asked
  }

  /// Reads one `answer` and acts on the oldest pending item: a segment's entries sent or
  /// dropped, a group dropped or opened (its members' summaries sent, the members pending).
  private func answer(
    _ pending: inout PendingItems, summaries: inout SummaryEncoder, channel: ByteChannel
  ) throws {
    guard let frame = try channel.receive() else {
      throw RemoteError(.dropped, "the local side closed the connection during the walk")
    }
    switch frame.kind {
    case .answer:
      var input = frame.reader
      let value = try input.readByte()
      guard let item = pending.removeFirst() else {
        throw RemoteProtocolError(
          .unexpected, offset: frame.offset, detail: "an answer with no segment pending")
      }
      switch (item, value) {
      case (_, 0): break
      case (.segment(let encoded), 1): try channel.send(Frame(.detail, encoded))
      case (.group(let members), 2):
        for member in members { try channel.send(summaries.frame(member.summary)) }
        pending.open(members)
        try channel.flush()
      default:
        throw RemoteProtocolError(
          .unexpected, offset: frame.offset, detail: "answer \(value) for a \(item.kind)")
      }
    case .error:
      throw RemoteError(.dropped, "the local side stopped: \(try ErrorMessage(frame).text)")
    default:
      throw RemoteProtocolError(
        .unexpected, offset: frame.offset,
        detail: "unexpected message \(frame.kind) from the local side")
    }
  }
}

/// What the agent holds for answers still to come, oldest first: groups announced, and the
/// segments of a group the local side opened (ahead of every later group), with their totals.
struct PendingItems {
  enum Item {
    /// A group's segments; answered 0 (dropped) or 2 (opened).
    case group([Segment])
    /// A segment's encoded entries; answered 0 (dropped) or 1 (sent).
    case segment([UInt8])

    var kind: String {
      switch self {
      case .group: "group"
      case .segment: "segment"
      }
    }
  }

  private var items: [Item] = []
  private var head = 0
  /// Segments held (the members of groups and the opened segments).
  private(set) var segments = 0
  /// Encoded bytes held.
  private(set) var bytes = 0

  /// Items waiting for an answer.
  var count: Int { items.count - head }

  mutating func append(group members: [Segment]) {
    items.append(.group(members))
    segments += members.count
    bytes += members.reduce(0) { $0 + $1.encoded.count }
  }

  /// Puts an opened group's members first, each waiting for its own answer (the group itself
  /// was just taken off).
  mutating func open(_ members: [Segment]) {
    let opened = members.map { Item.segment($0.encoded) }
    items.replaceSubrange(head..<head, with: opened)
    segments += members.count
    bytes += members.reduce(0) { $0 + $1.encoded.count }
  }

  mutating func removeFirst() -> Item? {
    guard head < items.count else { return nil }
    let first = items[head]
    items[head] = .segment([])
    head += 1
    switch first {
    case .group(let members):
      segments -= members.count
      bytes -= members.reduce(0) { $0 + $1.encoded.count }
    case .segment(let encoded):
      segments -= 1
      bytes -= encoded.count
    }
    if head > 1024 && head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
    return first
  }
}
