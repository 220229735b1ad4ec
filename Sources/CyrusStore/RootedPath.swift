#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Lexical path arithmetic for an instance placed under a root: paths read from `imapd.conf`
/// (`partition-default: /../../x`, a relative `@include` or `mboxlist_db_path`) must stay
/// inside the root, like paths inside a chroot.
///
/// Purely lexical, as Cyrus reads its paths: `.` and empty components are dropped, `..` removes
/// the component before it. Symlinks are not resolved here; ``FileOpening`` refuses them when
/// the files are opened.
enum RootedPath {
  /// The components of `path` after resolving `.`, `..` and repeated slashes, or `nil` when a
  /// `..` would climb above the start (above `/` for an absolute path).
  static func normalizedComponents(_ path: String) -> [String]? {
    var result: [String] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch component {
      case ".": continue
      case "..":
        guard !result.isEmpty else { return nil }
        result.removeLast()
      default: result.append(String(component))
      }
    }
    return result
  }

  /// `path` (absolute) normalised; `..` above `/` stays at `/`, as the kernel resolves it.
  static func normalized(_ path: String) -> String {
    var result: [String] = []
    for component in path.split(separator: "/", omittingEmptySubsequences: true) {
      switch component {
      case ".": continue
      case "..": if !result.isEmpty { result.removeLast() }
      default: result.append(String(component))
      }
    }
    return (path.hasPrefix("/") ? "/" : "") + result.joined(separator: "/")
  }

  /// A configured absolute path placed under `root`: normalised, then re-rooted; `nil` when it
  /// would leave the root. Without a root it is only normalised.
  static func place(_ configured: String, under root: String?) -> String? {
    guard let root, !root.isEmpty else { return normalized(configured) }
    guard let inside = normalizedComponents(configured) else { return nil }
    return inside.isEmpty ? root : CyrusInstance.join(root, inside.joined(separator: "/"))
  }

  /// The components of `hostPath` below `root`, normalised, or `nil` when `hostPath` is not
  /// inside `root` (or leaves it through `..`). Relative paths are taken from the working
  /// directory.
  static func components(of hostPath: String, under root: String) -> [String]? {
    let rootParts = normalized(absolute(root)).split(separator: "/").map(String.init)
    let parts = normalized(absolute(hostPath)).split(separator: "/").map(String.init)
    guard parts.count >= rootParts.count, Array(parts.prefix(rootParts.count)) == rootParts,
      normalizedComponents(absolute(hostPath)) != nil
    else { return nil }
    return Array(parts.dropFirst(rootParts.count))
  }

  /// `path`, made absolute with the working directory when it is relative.
  static func absolute(_ path: String) -> String {
    guard !path.hasPrefix("/") else { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return "/" + path }
    let directory = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
    return CyrusInstance.join(String(decoding: directory, as: UTF8.self), path)
  }

  /// Whether `hostPath` lies inside `root` (or is it).
  static func isInside(_ hostPath: String, root: String) -> Bool {
    components(of: hostPath, under: root) != nil
  }
}
