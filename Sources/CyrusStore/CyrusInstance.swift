import CyrusFormats

/// One Cyrus instance as an administrator finds it: an `imapd.conf`, and the directories it
/// names, possibly re-rooted under a backup directory.
public struct CyrusInstance: Sendable {
  /// The `imapd.conf` actually read, on this host.
  public var configFile: String
  /// The prefix every configured path is placed under, if any (a backup made with
  /// `rsync -aR … /opt/backup-cyrus`, or a root directory holding `etc/imapd.conf`).
  public var root: String?
  /// The parsed options.
  public var conf: ImapdConf
  /// The trees to walk, sorted by name (the canonical area order).
  public var areas: [StoreArea]

  /// Largest `imapd.conf` read, in bytes.
  public static let configSizeLimit = 4 << 20
  /// Nesting limit for `@include` (Cyrus has none; this stops include loops).
  public static let includeDepthLimit = 8
  /// Most files read for one instance's configuration, `imapd.conf` and every `@include`
  /// counted (Cyrus has no limit; 44 KB of includes nested within the depth limit would
  /// otherwise fan out to 10^8 file reads).
  public static let includeFileLimit = 64
  /// Where a root directory may hold its `imapd.conf`, in the order tried (Debian, UCS, bare).
  public static let configLocations = ["etc/imapd.conf", "etc/imap/imapd.conf", "imapd.conf"]

  /// Whether message directories are hashed (`hashimapspool`, §5.1 of the formats reference).
  public var hashImapSpool: Bool { conf.bool("hashimapspool") ?? false }
  /// Whether the hash is the full-name hash (`fulldirhash`).
  public var fullDirHash: Bool { conf.bool("fulldirhash") ?? false }
  /// Whether mailbox names carry `domain!` (`virtdomains` other than `off`).
  public var virtDomains: Bool {
    guard let value = conf["virtdomains"]?.lowercased() else { return false }
    return !["off", "no", "0", "false", "f"].contains(value)
  }

  /// Finds an instance from a command-line argument.
  ///
  /// - Parameters:
  ///   - argument: an `imapd.conf` file, or a directory holding one at one of
  ///     ``configLocations``; a directory also becomes the root, like a chroot.
  ///   - root: an explicit root that every configured path is placed under (overrides the
  ///     directory's own).
  public static func locate(_ argument: String, root explicitRoot: String? = nil)
    throws(CyrusStoreError)
    -> CyrusInstance
  {
    var configFile = argument
    var root = explicitRoot
    switch SystemFiles.kind(of: argument) {
    case .failure(let error): throw error
    case .success(.directory):
      // A symlink there is not followed: below a root it could name a file of this host.
      guard
        let found = configLocations.map({ join(argument, $0) }).first(where: {
          if case .success(.file) = SystemFiles.kind(of: $0, followingLinks: false) { return true }
          return false
        })
      else {
        throw CyrusStoreError(
          .notFound, path: argument,
          detail:
            "no imapd.conf in this directory (looked for \(configLocations.joined(separator: ", ")))"
        )
      }
      configFile = found
      if root == nil { root = argument }
    case .success(.file):
      break
    case .success(let kind):
      throw CyrusStoreError(
        .wrongType, path: argument, detail: "is a \(kind.rawValue), not imapd.conf or a directory")
    }
    var filesRead = 0
    let conf = try readConf(
      configFile, root: root, depth: 0, filesRead: &filesRead,
      // The file the operator named may be a symlink; files below a root may not.
      named: root.map { !RootedPath.isInside(configFile, root: $0) } ?? true)
    let areas = try areas(of: conf, root: root, configFile: configFile)
    let instance = CyrusInstance(configFile: configFile, root: root, conf: conf, areas: areas)
    try instance.checkMailboxesDBPath()
    return instance
  }

  private static func readConf(
    _ path: String, root: String?, depth: Int, filesRead: inout Int, named: Bool = false
  ) throws(CyrusStoreError) -> ImapdConf {
    guard depth <= includeDepthLimit else {
      throw CyrusStoreError(
        .badOption, path: path, detail: "@include nested deeper than \(includeDepthLimit)")
    }
    filesRead += 1
    guard filesRead <= includeFileLimit else {
      throw CyrusStoreError(
        .badOption, path: path,
        detail: "more than \(includeFileLimit) files to read through @include; not read")
    }
    let bytes =
      named
      ? try SystemFiles.readFile(path, limit: configSizeLimit, followLinks: true)
      : try SystemFiles.readFile(path, limit: configSizeLimit, root: root)
    var conf = ImapdConf(parsing: bytes, source: path)
    for include in conf.includes {
      let target: String
      if include.hasPrefix("/") {
        guard let placed = RootedPath.place(include, under: root) else {
          throw CyrusStoreError(
            .badOption, path: path, detail: "@include \(include) leaves the root \(root ?? "/")")
        }
        target = placed
      } else {
        target = RootedPath.normalized(join(parentDirectory(path), include))
        if let root, RootedPath.isInside(path, root: root), !RootedPath.isInside(target, root: root)
        {
          throw CyrusStoreError(
            .badOption, path: path, detail: "@include \(include) leaves the root \(root)")
        }
      }
      conf.merge(try readConf(target, root: root, depth: depth + 1, filesRead: &filesRead))
    }
    return conf
  }

  private static func areas(of conf: ImapdConf, root: String?, configFile: String)
    throws(CyrusStoreError)
    -> [StoreArea]
  {
    func place(_ key: String, _ value: String) throws(CyrusStoreError) -> String {
      guard value.hasPrefix("/") else {
        throw CyrusStoreError(
          .badOption, path: conf.location(of: key) ?? configFile,
          detail: "\(key): '\(value)' is not an absolute path")
      }
      guard let placed = RootedPath.place(value, under: root) else {
        throw CyrusStoreError(
          .badOption, path: conf.location(of: key) ?? configFile,
          detail: "\(key): '\(value)' leaves the root \(root ?? "/"); not used")
      }
      return placed
    }
    guard let configDirectory = conf["configdirectory"], !configDirectory.isEmpty else {
      throw CyrusStoreError(.missingOption, path: configFile, detail: "no 'configdirectory' option")
    }
    var areas = [
      StoreArea(
        name: "config", role: .config, configuredPath: configDirectory,
        path: try place("configdirectory", configDirectory), root: root)
    ]
    let partitions = conf.prefixed("partition")
    guard !partitions.isEmpty else {
      throw CyrusStoreError(.missingOption, path: configFile, detail: "no 'partition-NAME' option")
    }
    let families: [(String, StoreArea.Role)] = [
      ("partition", .partition), ("metapartition", .metapartition),
      ("archivepartition", .archivePartition),
    ]
    for (prefix, role) in families {
      for (name, value) in conf.prefixed(prefix) where !value.isEmpty {
        let key = "\(prefix)-\(name)"
        areas.append(
          StoreArea(
            name: key, role: role, configuredPath: value, path: try place(key, value), root: root))
      }
    }
    if conf.bool("sieveusehomedir") != true {
      let sieveDirectory = conf["sievedir"] ?? "/usr/sieve"  // lib/imapoptions default
      areas.append(
        StoreArea(
          name: "sieve", role: .sieve, configuredPath: sieveDirectory,
          path: try place("sievedir", sieveDirectory), optional: true, root: root))
    }
    return arrange(areas)
  }

  /// Drops areas that repeat another's path (a metapartition on its partition's root) and marks
  /// areas nested inside another as excluded from the outer walk.
  static func arrange(_ areas: [StoreArea]) -> [StoreArea] {
    var kept: [StoreArea] = []
    for area in areas where !kept.contains(where: { normalized($0.path) == normalized(area.path) })
    {
      kept.append(area)
    }
    for index in kept.indices {
      let outer = normalized(kept[index].path)
      for inner in kept where normalized(inner.path).hasPrefix(outer + "/") {
        kept[index].excluded.append(
          EntryPath(String(normalized(inner.path).dropFirst(outer.count + 1))))
      }
    }
    return kept.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
  }

  static func normalized(_ path: String) -> String {
    var result = path
    while result.count > 1 && result.hasSuffix("/") { result.removeLast() }
    return result
  }

  /// A configured absolute path on this host: under `root` when there is one. Normalised
  /// lexically; a `..` above `/` stays at `/` (``locate(_:root:)`` refuses such paths first).
  public static func reroot(_ path: String, under root: String?) -> String {
    let normal = RootedPath.normalized(path.hasPrefix("/") ? path : "/" + path)
    guard let root, !root.isEmpty else { return normal }
    return join(root, String(normal.drop(while: { $0 == "/" })))
  }

  public static func join(_ directory: String, _ name: String) -> String {
    directory.hasSuffix("/") ? directory + name : directory + "/" + name
  }

  static func parentDirectory(_ path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    return slash == path.startIndex ? "/" : String(path[..<slash])
  }
}
