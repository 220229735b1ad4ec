import CyrusStore

/// The agent protocol's messages as values, each with its payload encoding (docs/remote.md).
public enum AgentProtocol {
  /// The protocol version this build speaks. Both sides must speak the same one. 5: bounded
  /// summaries ahead of details and full mailbox file chunks; 6: `open` carries the digest
  /// cache directory and `--scrub`; 7: `open` offers the mailbox files the local side holds by
  /// digest, and `mailboxFiles` answers "the one offered" for each that is the same.
  public static let version: UInt16 = 7
  /// First bytes the agent writes, before any frame: a shell startup file that prints
  /// something, or a program that is not the agent, is recognised at once.
  public static let agentMagic: [UInt8] = Array("CYFOAGT\n".utf8)
  /// First bytes the local side writes.
  public static let clientMagic: [UInt8] = Array("CYFOCLI\n".utf8)
}

/// `hello`: the protocol version and the tool version of the sender.
public struct Hello: Sendable, Equatable {
  public var protocolVersion: UInt16
  public var toolVersion: String

  public init(protocolVersion: UInt16 = AgentProtocol.version, toolVersion: String) {
    self.protocolVersion = protocolVersion
    self.toolVersion = toolVersion
  }

  public var frame: Frame {
    var out = ByteWriter()
    out.varint(UInt64(protocolVersion))
    out.string(toolVersion)
    return Frame(.hello, out.bytes)
  }

  public init(_ frame: Frame) throws(RemoteProtocolError) {
    var input = frame.reader
    let version = try input.readVarint()
    protocolVersion = UInt16(truncatingIfNeeded: min(version, UInt64(UInt16.max)))
    toolVersion = try input.readString("tool version")
  }
}

/// `open`: the instance to walk (a path on the agent's host, never a shell word) and how.
public struct OpenRequest: Sendable, Equatable {
  /// An `imapd.conf` or a root directory holding one, on the agent's host.
  public var instance: String
  /// Re-root prefix on the agent's host.
  public var root: String?
  /// `meta`, `full`, `guid` or `incremental`.
  public var level: VerifyLevel
  /// Whether runtime-only files are walked.
  public var includeRuntime: Bool
  /// Whether the agent sends every segment's entries without waiting for answers (saved
  /// manifests of a remote instance).
  public var everything: Bool
  /// Threads that read and hash file contents on the agent's host (`--hash-jobs`); 0 leaves
  /// the number to the agent (its own default for its host's cores).
  public var hashJobs: Int
  /// The digest cache directory the local side asks for (`--cache`), a path on the agent's
  /// host. An agent with its own `--cache` uses that instead, and a pinned agent never uses
  /// this one (it would let the key choose where root writes).
  public var cache: String?
  /// `--scrub`: every cached file is read again at least once every this many runs.
  public var scrubRuns: Int
  /// The mailbox files the local side already holds from the other side, by digest: the agent
  /// sends the bytes of a file only when its own is not the one offered.
  public var offered: OfferedDigests

  public init(
    instance: String, root: String?, level: VerifyLevel, includeRuntime: Bool,
    everything: Bool = false, hashJobs: Int = 0, cache: String? = nil,
    scrubRuns: Int = DigestCacheSettings.defaultScrubRuns, offered: OfferedDigests = .init()
  ) {
    self.instance = instance
    self.root = root
    self.level = level
    self.includeRuntime = includeRuntime
    self.everything = everything
    self.hashJobs = hashJobs
    self.cache = cache
    self.scrubRuns = scrubRuns
    self.offered = offered
  }

  public var frame: Frame {
    var out = ByteWriter()
    out.string(instance)
    out.optionalString(root)
    out.byte(level.code)
    out.byte((includeRuntime ? 1 : 0) | (everything ? 2 : 0))
    out.varint(hashJobs)
    out.optionalString(cache)
    out.varint(scrubRuns)
    FileDigest.writeOptional(offered.database, to: &out)
    FileDigest.writeOptional(offered.dump, to: &out)
    return Frame(.open, out.bytes)
  }

  public init(_ frame: Frame) throws(RemoteProtocolError) {
    var input = frame.reader
    instance = try input.readString("instance path")
    root = try input.readOptionalString("root")
    let levelCode = try input.readByte()
    guard let decoded = VerifyLevel(code: levelCode) else {
      throw input.error(.unexpected, "unknown level \(levelCode)")
    }
    level = decoded
    let bits = try input.readByte()
    includeRuntime = bits & 1 != 0
    everything = bits & 2 != 0
    hashJobs = try input.readCount(limit: WalkOptions.maxHashJobs, "hash jobs")
    cache = try input.readOptionalString("cache directory")
    scrubRuns = try input.readCount(limit: DigestCacheSettings.maxScrubRuns, "scrub runs")
    guard scrubRuns >= 1 else { throw input.error(.unexpected, "scrub runs 0") }
    offered = OfferedDigests(
      database: try FileDigest.readOptional(from: &input, "offered mailboxes.db"),
      dump: try FileDigest.readOptional(from: &input, "offered mailboxlist.txt"))
    guard input.isAtEnd else { throw input.error(.corrupt, "bytes after the open request") }
  }
}

/// `opened`: the instance as the agent found it.
public struct InstanceDescription: Sendable, Equatable {
  /// The `imapd.conf` read.
  public var configFile: String
  /// Re-root prefix, if any.
  public var root: String?
  /// Area names and paths, in canonical (name) order.
  public var areas: [AreaDescription]
  /// Warnings about the configuration (unknown lines and such).
  public var diagnostics: [String]

  public init(configFile: String, root: String?, areas: [AreaDescription], diagnostics: [String]) {
    self.configFile = configFile
    self.root = root
    self.areas = areas
    self.diagnostics = diagnostics
  }

  /// Describes a local instance.
  public init(_ instance: CyrusInstance) {
    self.init(
      configFile: instance.configFile, root: instance.root,
      areas: instance.areas.map { AreaDescription(name: $0.name, path: $0.path) },
      diagnostics: instance.conf.diagnostics.map { "\($0)" })
  }

  func write(to out: inout ByteWriter) {
    out.string(configFile)
    out.optionalString(root)
    out.varint(areas.count)
    for area in areas {
      out.string(area.name)
      out.string(area.path)
    }
    out.varint(min(diagnostics.count, RemoteLimits.diagnostics))
    for diagnostic in diagnostics.prefix(RemoteLimits.diagnostics) { out.string(diagnostic) }
  }

  init(from input: inout ByteReader) throws(RemoteProtocolError) {
    configFile = try input.readString("config file")
    root = try input.readOptionalString("root")
    let count = try input.readCount(limit: RemoteLimits.areas, "area count")
    areas = []
    for _ in 0..<count {
      areas.append(
        AreaDescription(
          name: try input.readString("area name"), path: try input.readString("area path")))
    }
    let diagnosticCount = try input.readCount(limit: RemoteLimits.diagnostics, "diagnostic count")
    diagnostics = []
    for _ in 0..<diagnosticCount { diagnostics.append(try input.readString("diagnostic")) }
  }

  public var frame: Frame {
    var out = ByteWriter()
    write(to: &out)
    return Frame(.opened, out.bytes)
  }

  public init(_ frame: Frame) throws(RemoteProtocolError) {
    var input = frame.reader
    try self.init(from: &input)
  }
}

/// One area of an instance: its name and its path on its host.
public struct AreaDescription: Sendable, Equatable {
  public var name: String
  public var path: String
  public init(name: String, path: String) {
    self.name = name
    self.path = path
  }
}

/// `error`: why the sender stops.
public struct ErrorMessage: Sendable, Equatable {
  public var text: String
  public init(_ text: String) { self.text = text }
  public var frame: Frame {
    var out = ByteWriter()
    out.string(text)
    return Frame(.error, out.bytes)
  }
  public init(_ frame: Frame) throws(RemoteProtocolError) {
    var input = frame.reader
    text = try input.readString("error text")
  }
}

/// `end`: the agent's walk is over.
struct EndMessage: Equatable {
  var segments: Int
  var entries: Int
  var frame: Frame {
    var out = ByteWriter()
    out.varint(segments)
    out.varint(entries)
    return Frame(.end, out.bytes)
  }
  init(segments: Int, entries: Int) {
    self.segments = segments
    self.entries = entries
  }
  init(_ frame: Frame) throws(RemoteProtocolError) {
    var input = frame.reader
    segments = try input.readCount(limit: Int.max, "segment total")
    entries = try input.readCount(limit: Int.max, "entry total")
  }
}
