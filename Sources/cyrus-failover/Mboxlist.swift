import ArgumentParser
import CyrusFormats
import CyrusStore
import Verification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension CyrusFailover {
  /// `mboxlist`: read mailboxes.db, print and translate `ctl_mboxlist -d` dumps, check a dump.
  struct Mboxlist: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Read mailboxes.db, print it as any Cyrus version's dump, convert and check dumps.",
      discussion: """
        Formats: cyrus22 (upstream 2.2: name TAB partition TAB acl), cyrus22-debian (Debian 2.2.13-3+, \
        2.3.4-2.3.9: name TAB mbtype SP partition TAB acl), cyrus23 (2.3.10-2.5: name TAB mbtype SP \
        partition SP acl), cyrus30 (3.0-3.4: as cyrus23, partition may be server!partition), cyrus36 \
        (3.6 JSON). Nothing is ever written to a Cyrus tree.
        """,
      subcommands: [Dump.self, Convert.self, Check.self])
  }
}

/// A dump format on the command line.
enum DumpFormatOption: String, ExpressibleByArgument, CaseIterable {
  case cyrus22
  case cyrus22Debian = "cyrus22-debian"
  case cyrus23, cyrus30, cyrus36

  var format: MailboxListDump.Format {
    switch self {
    case .cyrus22: .cyrus22
    case .cyrus22Debian: .cyrus22Debian
    case .cyrus23: .cyrus23
    case .cyrus30: .cyrus30
    case .cyrus36: .cyrus36
    }
  }

  init(_ format: MailboxListDump.Format) {
    switch format {
    case .cyrus22: self = .cyrus22
    case .cyrus22Debian: self = .cyrus22Debian
    case .cyrus23: self = .cyrus23
    case .cyrus30: self = .cyrus30
    case .cyrus36: self = .cyrus36
    }
  }
}

/// A cyrusdb backend on the command line (`auto` detects it from the file's first bytes).
enum BackendOption: String, ExpressibleByArgument, CaseIterable {
  case auto, skiplist, twoskip, flat, berkeley
  case berkeleyHash = "berkeley-hash"

  var kind: CyrusDBKind? {
    switch self {
    case .auto: nil
    case .skiplist: .skiplist
    case .twoskip: .twoskip
    case .flat: .flat
    case .berkeley: .berkeleyBtree
    case .berkeleyHash: .berkeleyHash
    }
  }
}

/// Where mailboxes.db comes from: an instance (its imapd.conf), or a file.
struct MailboxesDBOptions: ParsableArguments {
  @OptionGroup var place: InstanceOptions

  @Option(help: ArgumentHelp("A mailboxes.db file, in place of --instance.", valueName: "file"))
  var db: String?

  @Option(help: "The backend of mailboxes.db: auto detects it from the file's first bytes.")
  var backend: BackendOption = .auto

  func validate() throws {
    guard (place.instance == nil) != (db == nil) else {
      throw ValidationError("give either --instance or --db (exactly one)")
    }
  }

  /// The instance, when one was given.
  func locate() throws -> CyrusInstance? { try place.locate() }

  /// Reads mailboxes.db (a Berkeley DB file in a child process); reader warnings go to
  /// standard error, records that do not parse stop the command (a dump or check without them
  /// would be silently incomplete).
  func read(_ instance: CyrusInstance?) throws -> (path: String, list: MailboxList) {
    let path = instance?.mailboxesDBPath ?? db ?? ""
    let list = try MailboxList.read(
      path: path, backend: backend.kind,
      deletedPrefix: instance?.deletedPrefix ?? MailboxName.defaultDeletedPrefix,
      berkeley: ToolEnvironment(verbose: false).berkeleyReader)
    var unparsed: [MailboxListProblem] = []
    for problem in list.problems {
      if case .recordInvalid = problem {
        unparsed.append(problem)
      } else {
        Console.err(
          "cyrus-failover: warning: \(Terminal.safe(path)): \(Terminal.safe("\(problem)"))\n")
      }
    }
    if !unparsed.isEmpty {
      throw UnreadableRecordsError(path: path, problems: unparsed)
    }
    return (path, list)
  }
}

/// Records of mailboxes.db that do not parse as a mailbox entry of any version.
struct UnreadableRecordsError: Error, CustomStringConvertible {
  var path: String
  var problems: [MailboxListProblem]
  var description: String {
    "\(path): \(problems.count) record\(problems.count == 1 ? "" : "s") not readable as a mailbox entry: "
      + problems.prefix(5).map(\.description).joined(separator: "; ")
      + (problems.count > 5 ? "; …" : "")
  }
}

/// Writes bytes to a file (created or truncated, mode 0644) or to standard output (`-`).
enum OutputFile {
  static func write(_ bytes: [UInt8], to path: String) throws {
    let fd = path == "-" ? 1 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard fd >= 0 else { throw OutputError(path: path, reason: String(cString: strerror(errno))) }
    defer { if fd != 1 { close(fd) } }
    do {
      try Console.write(fd, bytes: bytes)
    } catch {
      throw OutputError(path: path, reason: String(cString: strerror(error.rawValue)))
    }
  }
}

struct OutputError: Error, CustomStringConvertible {
  var path: String
  var reason: String
  var description: String { "\(path): cannot write: \(reason)" }
}

/// A mailbox name Cyrus never creates (`mboxname_policycheck`): empty components (`..`), `/`,
/// control characters. Found in a database or dump it is damage or an attack; it is reported
/// with its place and never printed into a dump or used as a path.
struct UnsafeMailboxNameError: Error, CustomStringConvertible {
  var path: String
  var place: String
  var name: MailboxName
  var description: String {
    "\(path): \(place): mailbox name \(EntryPath.escape(Array(name.internalName.utf8))) "
      + "has an empty component ('..'), a '/' or a control character; Cyrus never creates such a name"
  }

  /// Throws for the first unsafe name of `entries`; `place` describes where entry `i` is.
  static func check(_ entries: [MailboxEntry], path: String, place: (Int, MailboxEntry) -> String)
    throws
  {
    for (i, e) in entries.enumerated() where !e.name.isSafeAsPath {
      throw UnsafeMailboxNameError(path: path, place: place(i, e), name: e.name)
    }
  }

  /// Where a mailboxes.db entry is: its key.
  static func key(_ i: Int, _ e: MailboxEntry) -> String {
    "record with key "
      + EntryPath.escape(
        e.dbname.map { [UInt8(ascii: "N")] + $0 } ?? Array(e.name.internalName.utf8))
  }

  /// Where a parsed dump entry is: its line (JSON dumps start with a `{` line).
  static func line(format: MailboxListDump.Format?) -> (Int, MailboxEntry) -> String {
    { i, _ in "line \(format == .cyrus36 ? i + 2 : i + 1)" }
  }
}
