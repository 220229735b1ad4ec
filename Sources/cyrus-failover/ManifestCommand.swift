import ArgumentParser
import CyrusStore
import Foundation
import Remote
import Verification

extension CyrusFailover {
  /// `manifest`: save one side's manifest to a file, for `verify --primary-manifest` later.
  struct Manifest: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract:
        "Save one instance's manifest (every entry, with SHA-256 at --level full) to a file.",
      discussion: """
        Capture the primary while its Cyrus is stopped, start it again, and verify the failover \
        against the file later: cyrus-failover manifest --instance /etc/imapd.conf --output p.cfm, \
        then cyrus-failover verify --primary-manifest p.cfm --failover host:/etc/imapd.conf. \
        The instance may be remote ([user@]host:PATH). Use the same --level and \
        --include-runtime for the manifest and for verify.
        """)

    @OptionGroup var place: InstanceOptions

    @Option(
      name: .shortAndLong,
      help: ArgumentHelp("The manifest file to write ('-' for standard output).", valueName: "file")
    )
    var output: String

    @Option(
      help:
        "meta: metadata only; guid: message files checked against their index GUIDs (SHA-1), other files SHA-256; full: SHA-256 of every file; incremental: SHA-256 from --cache for files whose inode, size, mtime and ctime are unchanged."
    )
    var level: LevelOption = .full

    @Flag(help: "Also record runtime-only files.")
    var includeRuntime = false

    @OptionGroup var jobs: HashJobsOption

    @OptionGroup var digestCache: CacheOptions

    @OptionGroup var ssh: SSHOptions

    func validate() throws {
      guard place.instance != nil else {
        throw ValidationError(
          "--instance is required (an imapd.conf, a root directory or [user@]host:PATH)")
      }
      try digestCache.check(level: level)
    }

    func run() throws {
      let environment = ToolEnvironment(verbose: ssh.verbose)
      var walk = WalkOptions(
        level: level.walkLevel, includeRuntime: includeRuntime, hashJobs: jobs.local,
        berkeleyReader: environment.berkeleyReader)
      walk.cache = digestCache.settings(level: level)
      let options = walk
      let argument = place.instance ?? ""
      var session: RemoteSession?
      let description: InstanceDescription
      let mailboxFiles: MailboxFiles
      let origin: String
      var source: any ManifestSource
      var pairing: AgentConnection?
      switch try SideSpecification.parse(argument, root: place.root) {
      case .remote(let target, let root):
        let request = OpenRequest(
          instance: target.path, root: root, level: options.level, includeRuntime: includeRuntime,
          everything: true, hashJobs: jobs.remote, cache: options.cache?.directory,
          scrubRuns: options.cache?.scrubRuns ?? DigestCacheSettings.defaultScrubRuns)
        let connected = try ssh.settings(environment).connect(
          target, request: request, toolVersion: CyrusFailover.toolVersion,
          runner: environment.runner)
        session = connected
        description = connected.connection.instance
        mailboxFiles = connected.connection.mailboxFiles
        origin = "\(target.destination):\(description.configFile)"
        pairing = connected.connection
        source = EmptySource()
      case .local, .manifest:
        guard let local = try place.locate() else { preconditionFailure("validated above") }
        if let cache = options.cache { try DigestCacheDirectory.check(cache.directory, for: local) }
        description = InstanceDescription(local)
        mailboxFiles = MailboxFiles.collect(local)
        origin = local.configFile
        source = PrefetchingSource { InstanceWalker(instance: local, options: options) }
      }
      for diagnostic in description.diagnostics where session != nil {
        Console.err("cyrus-failover: warning: \(Terminal.safe(diagnostic))\n")
      }
      let fd = try Self.open(output)
      defer { if output != "-" { close(fd) } }
      let header = ManifestFile.Header(
        toolVersion: CyrusFailover.toolVersion, level: options.level,
        includeRuntime: includeRuntime,
        created: Int64(Date().timeIntervalSince1970), origin: origin, instance: description)
      let writer = try ManifestWriter(fd: fd, header: header, mailboxFiles: mailboxFiles)
      do {
        if let remote = pairing {
          while try remote.nextSummary() != nil {
            for entry in try remote.take(wanted: true) ?? [] { try writer.append(entry) }
          }
        } else {
          while let entry = try source.next() { try writer.append(entry) }
        }
        try writer.finish()
      } catch {
        session?.abandon("the local side stopped: \(error)")
        throw error
      }
      if let session {
        let statistics = session.statistics
        session.finish()
        if ssh.stats { SSHOptions.printStatistics("instance", statistics) }
      }
      Console.err(
        "cyrus-failover: \(writer.entries) entries, \(writer.bytesWritten) bytes written to \(output)\n"
      )
    }

    static func open(_ path: String) throws -> Int32 {
      if path == "-" { return 1 }
      let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
      guard fd >= 0 else {
        throw RemoteError(
          .manifest, "\(path): cannot write the manifest: \(String(cString: strerror(errno)))")
      }
      return fd
    }
  }
}

/// No entries (the remote path of `manifest` reads segments instead).
struct EmptySource: ManifestSource {
  mutating func next() throws -> ManifestEntry? { nil }
}
