#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The directory given with `--cache` (or the agent's own): one cache file per instance in it,
/// named after the instance (``DigestCacheFormat/fileName(for:)``), so the two sides of a local
/// pair, and any number of pairs, can share it.
///
/// It must be this user's and writable by no one else (a cache someone else could write could
/// hide a difference), and lie outside every tree of the instance (the tool never writes
/// there, and the walk would find the cache in it).
public enum DigestCacheDirectory {
  /// Checks `path` for `instance`, creating it (mode 0700) when only the last component is
  /// missing.
  /// - Throws: ``CyrusStoreError`` naming the directory and what is wrong with it.
  public static func check(_ path: String, for instance: CyrusInstance) throws(CyrusStoreError) {
    // Before anything is created: a directory refused must not be left inside a Cyrus tree.
    try checkOutside(path, instance)
    var info = stat()
    if lstat(path, &info) != 0 && errno == ENOENT {
      guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
        throw SystemFiles.error(for: errno, path: path, doing: "cannot create the cache directory")
      }
    }
    guard stat(path, &info) == 0 else {
      throw SystemFiles.error(for: errno, path: path, doing: "cannot examine the cache directory")
    }
    guard (info.st_mode & S_IFMT) == S_IFDIR else {
      throw CyrusStoreError(.wrongType, path: path, detail: "the cache is not a directory")
    }
    guard info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
      throw CyrusStoreError(
        .permissionDenied, path: path,
        detail:
          "the cache directory must belong to this user and be writable by no one else (chmod go-w)"
      )
    }
  }

  /// Refuses `path` (or, while it does not exist, its parent and name) inside an area.
  private static func checkOutside(
    _ path: String, _ instance: CyrusInstance
  ) throws(CyrusStoreError) {
    var trimmed = Substring(path)
    while trimmed.count > 1 && trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
    let slash = trimmed.lastIndex(of: "/")
    let parent = slash.map { $0 == trimmed.startIndex ? "/" : String(trimmed[..<$0]) } ?? "."
    let name = slash.map { String(trimmed[trimmed.index(after: $0)...]) } ?? String(trimmed)
    guard let real = realPath(path) ?? realPath(parent).map({ $0 + "/" + name }) else {
      throw SystemFiles.error(for: errno, path: path, doing: "cannot resolve the cache directory")
    }
    for area in instance.areas {
      guard let areaPath = realPath(area.path) else { continue }
      if real == areaPath || real.hasPrefix(areaPath.hasSuffix("/") ? areaPath : areaPath + "/") {
        throw CyrusStoreError(
          .badOption, path: path,
          detail: "the cache directory lies inside the instance's \(area.name) (\(area.path)); "
            + "keep it outside every Cyrus tree")
      }
    }
  }

  /// Opens the directory for the cache files; -1 when it cannot be.
  static func open(_ path: String) -> Int32 {
    Glibc.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}
