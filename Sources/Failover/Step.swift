/// One step of a ``Plan``: what is done, on which host, what is checked before and after, and
/// what follows if it fails. A step either runs a program (its argv as run on that host) or is
/// an action of the tool itself (waiting for Cyrus to stop, writing the dump, saving a
/// manifest, verifying), described in words.
public struct Step: Sendable, Codable, Equatable {
  /// Where in the procedure a step stands.
  public enum Phase: String, Sendable, Codable {
    /// Before anything is copied.
    case prepare
    /// The first rsync pass, while the primary serves.
    case pass1
    /// Between stopping and starting the primary: the stopped window.
    case window
    /// On the failover after the window: the mailbox-list import on a version mismatch.
    case importList = "import"
    /// The check of the result.
    case verify
    /// After the procedure (starting a restored instance).
    case finish
  }

  /// An action of the tool itself.
  public enum Action: String, Sendable, Codable {
    /// Runs `argv` on the host.
    case run
    /// Waits until Cyrus has stopped: the status command says so and no process holds a file
    /// of its areas open.
    case waitStopped = "wait-stopped"
    /// Waits until the status command says Cyrus runs.
    case waitRunning = "wait-running"
    /// Writes mailboxlist.txt from mailboxes.db (atomically) and checks it against it.
    case dumpMailboxList = "dump-mailbox-list"
    /// Saves the source's manifest (metadata) while nothing can change it.
    case saveManifest = "save-manifest"
    /// Translates the dump into the destination's format.
    case convertDump = "convert-dump"
    /// Reads the destination's mailboxes.db back and compares it with the imported dump.
    case checkImport = "check-import"
    /// Checks the destination's cyrus.index files are at its Cyrus's version.
    case checkIndexes = "check-indexes"
    /// Writes a repair's lists of paths (this host's state directory only).
    case writeLists = "write-lists"
    /// Verifies the destination against the saved manifest.
    case verify
  }

  /// Stable name: `pass1.partition-default`, `window.stop`.
  public var id: String
  /// Where it stands.
  public var phase: Phase
  /// What it does, in words.
  public var title: String
  /// `primary`, `failover`, `backup`, `target`: whose host.
  public var host: String
  /// Where that host is.
  public var place: HostPlace
  /// The kind of action.
  public var action: Action
  /// The program and its arguments as run on that host (``Action/run`` only).
  public var argv: [String]?
  /// A file on this host given to the program as its standard input.
  public var input: String?
  /// Exit statuses that mean success.
  public var accepted: [Int32]
  /// Exit statuses that mean success with a note (rsync's 24 while Cyrus serves).
  public var tolerated: [Int32]
  /// How long it may take, in seconds.
  public var timeLimit: Int?
  /// Whether it changes a host (a plan made without `--execute` runs none of these).
  public var changes: Bool
  /// What is checked before it runs.
  public var before: [String]
  /// What is checked after.
  public var after: [String]
  /// What follows a failure.
  public var onFailure: String
  /// For an rsync step: the area it copies.
  public var area: String?
  /// Whether anything the program writes on standard error means failure, whatever its exit
  /// status (3.6's `ctl_mboxlist -u` exits 0 when it rejects every line).
  public var failsOnErrorOutput: Bool = false

  /// Makes a step; `argv` for ``Action/run``.
  public init(
    _ id: String, phase: Phase, title: String, host: String, place: HostPlace,
    action: Action = .run, argv: [String]? = nil, input: String? = nil, accepted: [Int32] = [0],
    tolerated: [Int32] = [], timeLimit: Int? = nil, changes: Bool, before: [String] = [],
    after: [String] = [], onFailure: String, area: String? = nil, failsOnErrorOutput: Bool = false
  ) {
    self.id = id
    self.phase = phase
    self.title = title
    self.host = host
    self.place = place
    self.action = action
    self.argv = argv
    self.input = input
    self.accepted = accepted
    self.tolerated = tolerated
    self.timeLimit = timeLimit
    self.changes = changes
    self.before = before
    self.after = after
    self.onFailure = onFailure
    self.area = area
    self.failsOnErrorOutput = failsOnErrorOutput
  }
}
