import Crypto
import CyrusStore
import Verification

/// The local half of the protocol: the handshake, then the agent's segments as a
/// ``SegmentSource``.
public final class AgentConnection: SegmentSource {
  /// The channel (for byte counters).
  public let channel: ByteChannel
  /// The instance as the agent found it.
  public private(set) var instance = InstanceDescription(
    configFile: "", root: nil, areas: [], diagnostics: [])
  /// The instance's mailboxes.db, mailboxlist.txt and spool rules, as the agent read them.
  public private(set) var mailboxFiles = MailboxFiles(
    databasePath: "", database: .absent, dumpPath: "", dump: .absent, hashImapSpool: false,
    fullDirHash: false,
    deletedPrefix: "DELETED")
  /// The agent's tool version.
  public private(set) var agentVersion = ""
  /// Segments whose entries crossed the wire, and those settled by their digest alone.
  public private(set) var segmentsSent = 0
  public private(set) var segmentsSkipped = 0
  /// Set when the walk is over: the agent's totals.
  public private(set) var totals: (segments: Int, entries: Int)?
  /// Groups settled by their digest alone, and groups opened.
  public private(set) var groupsSkipped = 0
  public private(set) var groupsOpened = 0
  private var summaries = SummaryDecoder()
  private var groups = GroupDecoder()
  /// Groups (and the `end`) that came while members or a detail were awaited, decoded.
  private var waiting = WaitingSummaries()
  /// The group opened last, while members of it are still to be returned.
  private var opened: OpenedGroup?
  /// Segments and entries the groups (or, sending everything, the summaries) announced, which
  /// the `end` must repeat.
  private var announced = (segments: 0, entries: 0)
  private var current: SegmentItem?
  /// The declared area names, each summary's area is one of (and shares storage with).
  private var areaNames: [String: String] = [:]
  private let everything: Bool
  /// Turns the end of the stream into a message (the transport knows why it ended).
  private let explainEnd: (Phase) -> RemoteError
  /// Where the agent runs (`host` or `user@host`), for messages.
  private let place: String

  /// How far a session got when its stream ended.
  public enum Phase: String, Sendable {
    /// Nothing came back: ssh or the remote command failed to start.
    case starting = "before the agent started"
    /// The agent's magic came, then the stream ended in the handshake.
    case handshake = "during the handshake"
    /// While the agent opened the instance.
    case opening = "while the agent opened the instance"
    /// During the walk.
    case walking = "during the walk"
  }

  /// Speaks to an agent on `channel`: magic, `hello` (versions must match), `open`.
  /// - Parameters:
  ///   - offer: mailbox files this side already holds (the other side's); the request offers
  ///     them by digest, and the agent's own that are the same are not sent again.
  ///   - explainEnd: makes the error for a stream that ends early.
  public init(
    channel: ByteChannel, request: OpenRequest, offer: MailboxFileOffer = .init(),
    toolVersion: String, where place: String, explainEnd: @escaping (Phase) -> RemoteError
  ) throws {
    self.channel = channel
    self.explainEnd = explainEnd
    self.place = place
    everything = request.everything
    var request = request
    request.offered = offer.digests
    try namingThePeer { try handshake(request: request, offer: offer, toolVersion: toolVersion) }
  }

  /// Magic, `hello`, `open`, and what the agent answers to it.
  private func handshake(request: OpenRequest, offer: MailboxFileOffer, toolVersion: String) throws
  {
    channel.sendRaw(AgentProtocol.clientMagic)
    try send(Hello(toolVersion: toolVersion).frame, phase: .starting)
    if let wrong = try channel.readMagic(AgentProtocol.agentMagic) {
      if wrong.isEmpty { throw explainEnd(.starting) }
      let shown = Terminal.safe(String(decoding: wrong.prefix(80), as: UTF8.self))
      throw RemoteError(
        .notAnAgent,
        "\(place) did not answer as a cyrus-failover agent; it wrote \"\(shown)\". Check that the remote command is "
          + "cyrus-failover and that no shell startup file there prints to standard output")
    }
    let hello = try Hello(try expect(.hello, phase: .handshake))
    agentVersion = Terminal.safe(hello.toolVersion)
    guard hello.protocolVersion == AgentProtocol.version else {
      throw RemoteError(
        .versionMismatch,
        "the cyrus-failover on \(place) is version \(agentVersion) and speaks agent protocol "
          + "\(hello.protocolVersion); this one is \(toolVersion) with protocol \(AgentProtocol.version). Install "
          + "cyrus-failover \(toolVersion) on \(place) (or point --remote-command at it)")
    }
    try send(request.frame, phase: .opening)
    instance = try InstanceDescription(try expect(.opened, phase: .opening))
    for area in instance.areas { areaNames[area.name] = area.name }
    let described = try expect(.mailboxFiles, phase: .opening)
    mailboxFiles = try MailboxFilesCodec.read(described, offer: offer) {
      try self.expect(.fileChunk, phase: .opening)
    }
  }

  /// Sends a frame; a broken pipe means the agent or ssh is gone, which ``explainEnd`` explains.
  private func send(_ frame: Frame, phase: Phase, flush: Bool = true) throws {
    do {
      try channel.send(frame)
      if flush { try channel.flush() }
    } catch is ChannelError {
      throw explainEnd(phase)
    }
  }

  /// The next frame of the expected kind; an `error` frame or the end of the stream throws.
  private func expect(_ kind: Frame.Kind, phase: Phase) throws -> Frame {
    let frame = try nextFrame(phase: phase)
    guard frame.kind == kind else {
      throw RemoteProtocolError(
        .unexpected, offset: frame.offset, detail: "expected \(kind), got \(frame.kind)")
    }
    return frame
  }

  private func nextFrame(phase: Phase) throws -> Frame {
    let frame: Frame?
    do {
      frame = try channel.receive()
    } catch is ChannelError {
      throw explainEnd(phase)
    } catch let error as RemoteProtocolError where error.kind == .truncated {
      throw explainEnd(phase)
    }
    guard let frame else { throw explainEnd(phase) }
    if frame.kind == .error {
      let text = Terminal.safe(try ErrorMessage(frame).text)
      throw RemoteError(.agentFailed, "the agent on \(place) reports: \(text)")
    }
    return frame
  }

  /// Runs `body`, turning a violation of the protocol into an error that names the agent's
  /// host: the peer is not to be trusted further, and the operator must know which one it was.
  private func namingThePeer<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as RemoteProtocolError {
      throw RemoteError(
        .protocolViolation,
        "the agent on \(place) broke the protocol: \(Terminal.safe(error.description))")
    }
  }

  public var entriesAreLocal: Bool { false }

  public func nextItem() throws -> SegmentItem? {
    precondition(current == nil, "every item is settled before the next")
    return try namingThePeer { try readItem() }
  }

  /// The next segment of a saved manifest's stream (`everything`: no groups, every detail
  /// follows its summary).
  public func nextSummary() throws -> SegmentSummary? {
    precondition(everything, "only a session that sends everything is read segment by segment")
    guard let item = try nextItem() else { return nil }
    guard case .segment(let summary) = item else { preconditionFailure("no groups are sent") }
    return summary
  }

  private func readItem() throws -> SegmentItem? {
    if let member = try nextMember() {
      current = .segment(member)
      return current
    }
    if totals != nil && waiting.isEmpty { return nil }
    let item = try waiting.removeFirst() ?? decode(try nextFrame(phase: .walking))
    switch item {
    case .group(let group):
      guard !everything else {
        throw RemoteProtocolError(.unexpected, detail: "a group in a stream of every segment")
      }
      current = .group(group)
    case .summary(let summary):
      guard everything else {
        throw RemoteProtocolError(.unexpected, detail: "a segment summary of no opened group")
      }
      current = .segment(summary)
    case .end(let end):
      // The end is the last thing the agent sends, and its totals are what it announced.
      guard waiting.isEmpty && opened == nil,
        end.segments == announced.segments && end.entries == announced.entries
      else {
        throw RemoteProtocolError(
          .corrupt,
          detail: "the walk ended with \(end.segments) segments and \(end.entries) entries; "
            + "\(announced.segments) and \(announced.entries) were announced")
      }
      totals = (end.segments, end.entries)
      // The last answers must reach the agent, which waits for them before it exits.
      do { try channel.flush() } catch is ChannelError { throw explainEnd(.walking) }
      return nil
    }
    return current
  }

  /// The next member of the opened group, if one is open: received earlier, or read now
  /// (groups and the `end` sent ahead wait their turn).
  private func nextMember() throws -> SegmentSummary? {
    while let group = opened, group.members.isEmpty {
      let frame = try nextFrame(phase: .walking)
      switch frame.kind {
      case .summary: try receiveMember(try decode(frame), offset: frame.offset)
      case .group, .end: try waiting.append(decode(frame), offset: frame.offset)
      default:
        throw RemoteProtocolError(
          .unexpected, offset: frame.offset,
          detail: "expected a member of an opened group, got \(frame.kind)")
      }
    }
    guard var group = opened, !group.members.isEmpty else { return nil }
    let member = group.members.removeFirst()
    group.returned += 1
    opened = group.returned < group.summary.segments ? group : nil
    return member
  }

  /// Takes in a member summary of the opened group: the first at the group's key, no more
  /// than it announced, and the last one checked against the group's digest.
  private func receiveMember(_ item: WaitingSummaries.Item, offset: Int) throws {
    guard case .summary(let member) = item, var group = opened,
      group.received < group.summary.segments
    else {
      throw RemoteProtocolError(
        .unexpected, offset: offset, detail: "a segment summary of no opened group")
    }
    if group.received == 0 {
      guard member.area == group.summary.area && member.path == group.summary.path else {
        throw RemoteProtocolError(
          .corrupt, offset: offset, detail: "an opened group's first segment is not its key")
      }
    }
    group.digest.add(member)
    group.received += 1
    // Every member still to come has at least one entry: more than the group announced is
    // refused now, before details of members past it are taken.
    guard group.digest.entries + (group.summary.segments - group.received) <= group.summary.entries
    else {
      throw RemoteProtocolError(
        .corrupt, offset: offset, detail: "an opened group's segments hold more entries than it")
    }
    group.members.append(member)
    if group.received == group.summary.segments {
      guard group.digest.entries == group.summary.entries,
        group.digest.finish() == group.summary.digest
      else {
        throw RemoteProtocolError(
          .corrupt, offset: offset, detail: "an opened group's segments do not match its digest")
      }
    }
    opened = group
  }

  /// A `group`, `summary` or `end` frame, decoded (each kind in arrival order: paths are
  /// shared prefixes of the one before of the same kind).
  private func decode(_ frame: Frame) throws -> WaitingSummaries.Item {
    switch frame.kind {
    case .group:
      var group = try groups.decode(frame)
      group.area = try declared(group.area, offset: frame.offset)
      announced.segments += group.segments
      announced.entries += group.entries
      return .group(group)
    case .summary:
      var summary = try summaries.decode(frame)
      summary.area = try declared(summary.area, offset: frame.offset)
      if everything {
        announced.segments += 1
        announced.entries += summary.count
      }
      return .summary(summary)
    case .end:
      return .end(try EndMessage(frame))
    default:
      throw RemoteProtocolError(
        .unexpected, offset: frame.offset, detail: "expected a summary, got \(frame.kind)")
    }
  }

  /// The declared area named `area` (sharing its storage), or an error.
  private func declared(_ area: String, offset: Int) throws -> String {
    guard let known = areaNames[area] else {
      throw RemoteProtocolError(
        .corrupt, offset: offset,
        detail: "a segment of the area \(area), which the agent did not declare")
    }
    return known
  }

  public func openGroup() throws {
    guard case .group(let group) = current else {
      preconditionFailure("openGroup() follows a group")
    }
    current = nil
    try namingThePeer { try open(group) }
  }

  private func open(_ group: GroupSummary) throws {
    try send(Frame(.answer, [2]), phase: .walking, flush: false)
    groupsOpened += 1
    opened = OpenedGroup(summary: group)
  }

  public func takeGroup(wanted: Bool) throws -> [ManifestEntry]? {
    guard case .group(let group) = current else {
      preconditionFailure("takeGroup(wanted:) follows a group")
    }
    current = nil
    return try namingThePeer { () throws -> [ManifestEntry]? in
      guard wanted else {
        try send(Frame(.answer, [0]), phase: .walking, flush: false)
        groupsSkipped += 1
        segmentsSkipped += group.segments
        return nil
      }
      // Its entries are needed (the other side's are not local either): opened, and every
      // member's detail asked for.
      try open(group)
      var entries: [ManifestEntry] = []
      while opened != nil {
        guard case .segment(let member) = try readItem() else {
          preconditionFailure("an opened group gives segments")
        }
        current = nil
        entries += try settle(member, wanted: true) ?? []
      }
      return entries
    }
  }

  public func take(wanted: Bool) throws -> [ManifestEntry]? {
    guard case .segment(let summary) = current else {
      preconditionFailure("take(wanted:) follows a segment")
    }
    current = nil
    return try namingThePeer { try settle(summary, wanted: wanted) }
  }

  private func settle(_ summary: SegmentSummary, wanted: Bool) throws -> [ManifestEntry]? {
    if !everything {
      try send(Frame(.answer, [wanted ? 1 : 0]), phase: .walking, flush: false)
    }
    guard wanted || everything else {
      segmentsSkipped += 1
      return nil
    }
    segmentsSent += 1
    // Members and groups sent ahead of the detail wait their turn, decoded (at most the
    // agent's window).
    while true {
      let frame = try nextFrame(phase: .walking)
      guard frame.kind == .detail else {
        switch frame.kind {
        case .summary where !everything:
          try receiveMember(try decode(frame), offset: frame.offset)
        case .summary, .group, .end: try waiting.append(decode(frame), offset: frame.offset)
        default:
          throw RemoteProtocolError(
            .unexpected, offset: frame.offset, detail: "expected a detail, got \(frame.kind)")
        }
        continue
      }
      guard waiting.isEmpty || !everything else {
        throw RemoteProtocolError(.unexpected, offset: frame.offset, detail: "detail out of turn")
      }
      guard frame.payload.count <= RemoteLimits.detailBytes else {
        throw RemoteProtocolError(
          .tooLarge, offset: frame.offset,
          detail: "a segment's detail of \(frame.payload.count) bytes is over the limit of "
            + "\(RemoteLimits.detailBytes)")
      }
      let digest = Array(Crypto.SHA256.hash(data: frame.payload))
      guard digest == summary.digest else {
        throw RemoteProtocolError(
          .corrupt, offset: frame.offset, detail: "a segment's entries do not match its digest")
      }
      let entries = try EntryDecoder.decodeAll(
        frame.payload, baseOffset: frame.offset, count: summary.count,
        pathBytesLimit: RemoteLimits.detailPathBytes)
      guard let first = entries.first, first.area == summary.area, first.path == summary.path else {
        throw RemoteProtocolError(
          .corrupt, offset: frame.offset, detail: "a segment's first entry is not its key")
      }
      return wanted ? entries : nil
    }
  }

  /// Tells the agent the local side stops (best effort).
  public func abandon(_ reason: String) {
    try? channel.send(ErrorMessage(reason).frame)
    try? channel.flush()
  }
}

/// A group the local side opened: its members as they come, checked against its summary.
private struct OpenedGroup {
  let summary: GroupSummary
  /// Members received and not yet returned.
  var members: [SegmentSummary] = []
  /// Members received, and returned.
  var received = 0
  var returned = 0
  var digest = GroupDigest()

  init(summary: GroupSummary) { self.summary = summary }
}
