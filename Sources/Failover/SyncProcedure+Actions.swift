import CyrusFormats
import CyrusStore
import Foundation
import Glibc
import Processes
import Remote
import Verification

extension SyncProcedure {
  /// Waits until the source's status command says stopped and no process holds a file of its
  /// areas open.
  func waitStopped(_ step: Step, cancellation: Cancellation) throws -> String? {
    try Self.waitStopped(
      step, source: source, host: localHost, request: request, cancellation: cancellation)
  }

  /// Waits until `source`'s status command says stopped and no process holds a file of its
  /// areas open.
  static func waitStopped(
    _ step: Step, source: ProcedureSide, host: CommandHost, request: ProcedureRequest,
    cancellation: Cancellation
  ) throws -> String? {
    guard let service = source.service, let instance = source.instance else {
      throw ProcedureError(.stepFailed, "no service to wait for", step: step.id)
    }
    let started = ContinuousClock.now
    let deadline = started + .seconds(request.stopTimeout)
    var busy: [String: String] = [:]
    var running = true
    while ContinuousClock.now < deadline {
      if cancellation.isCancelled {
        throw ProcedureError(.stepFailed, "cancelled by a signal", step: step.id)
      }
      running = try Self.status(service, host: host, runner: request.runner)
      busy = BusyProcesses.holding(instance.areas.map(\.path))
      if !running && busy.isEmpty {
        return "stopped after \(Self.seconds(since: started)) s"
      }
      Thread.sleep(forTimeInterval: 0.25)
    }
    let left = busy.sorted { $0.key < $1.key }.prefix(8).map { "\($0.value) [\($0.key)]" }
    throw ProcedureError(
      .stepFailed,
      "Cyrus did not stop within \(request.stopTimeout) s: "
        + (running ? "the status command still says it runs" : "")
        + (left.isEmpty ? "" : "; processes still hold its files: \(left.joined(separator: ", "))"),
      step: step.id)
  }

  /// Waits until the status command of the step's host says Cyrus runs.
  func waitRunning(_ step: Step) throws -> String? {
    let side = step.host == source.role ? source : destination
    let host = step.host == source.role ? localHost : destinationHost
    return try Self.waitRunning(step, side: side, host: host, request: request)
  }

  /// Waits until `side`'s status command says Cyrus runs.
  static func waitRunning(
    _ step: Step, side: ProcedureSide, host: CommandHost, request: ProcedureRequest
  ) throws -> String? {
    guard let service = side.service else {
      throw ProcedureError(.stepFailed, "no status command for the \(side.role)", step: step.id)
    }
    let started = ContinuousClock.now
    let starter = SourceStarter(
      start: service.start, status: service.status, host: host, timeout: request.startTimeout,
      attempts: 1, runner: request.runner)
    guard starter.waitRunning() else {
      throw ProcedureError(
        .stepFailed,
        "`\(service.status.joined(separator: " "))` did not say it runs within "
          + "\(request.startTimeout) s", step: step.id)
    }
    return "running after \(Self.seconds(since: started)) s"
  }

  /// The source's mailbox list, read with this tool's own readers (never Cyrus's tools).
  func sourceList() throws -> (CyrusInstance, MailboxList) {
    guard let instance = source.instance else {
      preconditionFailure("the source is always on this host")
    }
    let list = try MailboxList.read(
      path: instance.mailboxesDBPath, deletedPrefix: instance.deletedPrefix,
      berkeley: request.berkeleyReader)
    if let unsafe = list.entries.first(where: { !$0.name.isSafeAsPath }) {
      throw ProcedureError(
        .stepFailed,
        "\(instance.mailboxesDBPath): the mailbox name "
          + "\(EntryPath.escape(Array(unsafe.name.internalName.utf8))) is one Cyrus never makes "
          + "(an empty component, a '/' or a control character); refusing to write it anywhere")
    }
    return (instance, list)
  }

  /// Writes `mailboxlist.txt` into the source's config directory (the seed's
  /// `ctl_mboxlist -d > mailboxlist.txt`, made here while Cyrus is stopped), atomically, in the
  /// format of the existing dump or of the data's Cyrus, and checks it against mailboxes.db.
  func writeDump(_ step: Step) throws -> String? {
    let (instance, list) = try sourceList()
    let existing = try? MailboxListDumpFile.read(path: instance.mailboxListDumpPath)
    let format =
      existing?.0 ?? source.probe.data.family?.dumpFormat
      ?? (list.layout == .keyspaces36 ? .cyrus36 : .cyrus22)
    let entries = list.dumpOrder(intermediates: false)
    let printed =
      format == .cyrus36
      ? entries : try MailboxListConversion(to: format).convert(entries).entries
    let bytes = MailboxListDump.document(printed, format: format)
    // The same dump already there is left as it is: nothing on the primary changes for nothing.
    let unchanged = (try? AtomicFile.read(instance.mailboxListDumpPath)) == bytes
    if !unchanged {
      try AtomicFile.replace(
        instance.mailboxListDumpPath, with: bytes, ownedLike: instance.mailboxesDBPath,
        mode: 0o644, stamp: settings.stamp)
    }
    let parsed = try MailboxListDump.parse(
      try AtomicFile.read(instance.mailboxListDumpPath), format: format)
    let differences = MailboxListDumpCheck.compare(
      database: list.entries, dump: parsed.entries, format: format)
    guard differences.isEmpty else {
      throw ProcedureError(
        .stepFailed,
        "the written dump does not match mailboxes.db: "
          + differences.prefix(3).map(\.description).joined(separator: "; "), step: step.id)
    }
    return "\(printed.count) entries, \(format.rawValue) format, \(bytes.count) bytes"
      + (unchanged ? " (unchanged: not rewritten)" : "")
  }

  /// Saves the source's manifest (metadata, the Berkeley DB reader of the executable).
  func saveManifest(_ step: Step) throws -> String? {
    guard let instance = source.instance else { preconditionFailure("a local source") }
    let options = WalkOptions(
      level: .meta, includeRuntime: false, berkeleyReader: request.berkeleyReader)
    let (entries, bytes) = try ManifestWriter.save(
      instance, options: options, to: settings.manifestPath, toolVersion: request.toolVersion)
    return "\(entries) entries, \(bytes) bytes"
  }

  /// Translates the source's mailbox list into the destination Cyrus's dump format, uniqueids
  /// taken from the source's cyrus.header files where the entries record none (2.x).
  func convertDump(_ step: Step) throws -> String? {
    let (instance, list) = try sourceList()
    let family = destination.probe.cyrus.family ?? .cyrus36plus
    let format = family.dumpFormat
    let (kept, notes) = try MailboxListConversion(to: format).convert(
      list.dumpOrder(intermediates: false)
    ) { entry in
      guard let partition = entry.partition else {
        throw ProcedureError(.stepFailed, "mailbox \(entry.name): no partition", step: step.id)
      }
      return try instance.legacyHeaderUniqueID(of: entry.name, partition: partition)
    }
    let bytes = MailboxListDump.document(kept, format: format)
    try AtomicFile.replace(
      settings.convertedDumpPath, with: bytes, ownedLike: nil, mode: 0o600, stamp: settings.stamp)
    imported = kept
    let skipped = notes.filter { $0.kind == .skipped }.count
    return "\(kept.count) entries in the \(format.rawValue) format"
      + (skipped > 0 ? ", \(skipped) left out (no partition: tombstones)" : "")
  }

  /// Reads the destination's new mailboxes.db back (with this tool's readers, there) and
  /// compares it entry by entry with what was imported.
  func checkImport(_ step: Step) throws -> String? {
    guard let imported else {
      throw ProcedureError(.stepFailed, "nothing was imported", step: step.id)
    }
    let format = (destination.probe.cyrus.family ?? .cyrus36plus).dumpFormat
    let readBack: [MailboxEntry]
    if let instance = destination.instance {
      readBack = try MailboxList.read(
        path: instance.mailboxesDBPath, deletedPrefix: instance.deletedPrefix,
        berkeley: request.berkeleyReader
      ).entries
    } else {
      let words = [
        request.remoteCommand, "mboxlist", "dump", "--instance",
        destination.probe.instance.configFile, "--format", format.rawValue,
      ]
      let outcome = try request.runner.run(
        try destinationHost.invocation(words, standardOutput: .capture(limit: 1 << 30)),
        timeLimit: .seconds(3600))
      guard outcome.succeeded else {
        throw ProcedureError(
          .stepFailed, "reading the new mailboxes.db back failed: \(outcome.shownError())",
          step: step.id)
      }
      readBack = try MailboxListDump.parse(outcome.standardOutput, format: format).entries
    }
    // What the dump left unknown (0: the 2.x data has no mtime or modseqs) the import fills in
    // itself; everything the dump did say must be there as said.
    let differences = MailboxListDumpCheck.compare(
      database: readBack, dump: imported, format: format
    ).filter { difference in
      !(["mtime", "createdmodseq", "foldermodseq", "uidvalidity"].contains(difference.field ?? "")
        && (difference.dump == nil || difference.dump == "0"))
    }
    guard differences.isEmpty else {
      throw ProcedureError(
        .stepFailed,
        "\(differences.count) difference(s) between the imported dump and the new mailboxes.db: "
          + differences.prefix(5).map { $0.description }.joined(separator: "; "), step: step.id)
    }
    return "\(readBack.count) entries read back, all as imported"
  }

  /// Verifies the destination: against the manifest saved in the window (metadata), or for a
  /// restore against the backup itself (every file's content).
  func verify(_ step: Step) throws -> String? {
    let level: VerifyLevel = request.kind == .restore ? .full : .meta
    let primary: SideSpecification =
      request.kind == .restore ? source.specification : .manifest(path: settings.manifestPath)
    let session = try VerifySession(
      primary: primary, failover: destination.specification,
      settings: VerifySettings(
        walk: WalkOptions(level: level, berkeleyReader: request.berkeleyReader),
        ssh: request.ssh, toolVersion: request.toolVersion, runner: request.runner,
        policy: request.policy,
        rules: ComparisonRules(acrossVersions: plan.versionMismatch)))
    let collector = ChangeClassifier.Collector()
    let result = try session.run(sink: collector)
    verification = result
    verificationFindings = collector.findings
    return "\(result.verdict.rawValue): \(result.summary.count(.error)) errors, "
      + "\(result.summary.count(.warning)) warnings, \(result.summary.count(.info)) info"
  }

  static func seconds(since start: ContinuousClock.Instant) -> String {
    let elapsed = ContinuousClock.now - start
    return String(
      format: "%.2f",
      Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
  }
}

extension SyncProcedure {
  /// The cyrus.index minor version the destination's Cyrus writes.
  static func indexMinor(of family: VersionFamily) -> UInt32? {
    switch family {
    case .cyrus33to34, .cyrus36plus: 17
    case .cyrus31to32: 16
    case .cyrus25to30: 13
    case .cyrus24: 12
    default: nil
    }
  }

  /// Probes the destination again (its data as it is now): here, or over SSH.
  func probeDestination() throws -> HostProbe {
    if let instance = destination.instance {
      return HostProbe.collect(
        instance, toolVersion: request.toolVersion, usage: false, runner: request.runner,
        berkeley: request.berkeleyReader, searchPath: localHost.searchPath)
    }
    guard case .remote(let target, let root) = request.destination else {
      preconditionFailure("a destination is local or remote")
    }
    return try Self.remoteProbe(
      target, root: root, host: destinationHost, request: request, usage: false)
  }

  /// After `reconstruct -V max` (which exits 0 whatever happened): every sampled cyrus.index
  /// of the destination is at its Cyrus's minor version.
  func checkIndexes(_ step: Step) throws -> String? {
    let family = destination.probe.cyrus.family ?? .cyrus36plus
    guard let minor = Self.indexMinor(of: family) else {
      return "no index version known for Cyrus \(family.rawValue): not checked"
    }
    let probe = try probeDestination()
    let found = probe.data.indexMinors
    let behind = found.filter { $0.key != "\(minor)" }
    guard behind.isEmpty, !found.isEmpty else {
      throw ProcedureError(
        .stepFailed,
        found.isEmpty
          ? "no cyrus.index could be read on the \(destination.role) after reconstruct"
          : "cyrus.index files not at minor \(minor) after reconstruct: "
            + behind.map { "\($0.value) at minor \($0.key)" }.joined(separator: ", "),
        step: step.id)
    }
    return "\(found.values.reduce(0, +)) sampled indexes at minor \(minor)"
  }
}
