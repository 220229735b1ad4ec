/// One file in a digest cache: where it is, the key it had when it was read, the run that last
/// read it, and the SHA-256 of its content then.
struct DigestCacheRecord: Equatable {
  /// Index of its area in the cache's ``DigestCacheIdentity/areaNames``.
  var area: Int
  /// Its path in the area (canonical order across records: area, then path).
  var path: [UInt8]
  /// The file's key when it was read.
  var key: FileKey
  /// The run (counted per cache file) whose walk last read the content.
  var lastRun: UInt64
  /// SHA-256 of the content.
  var digest: [UInt8]
}

/// Which instance a cache file belongs to: its imapd.conf, root and areas on this host. A cache
/// whose identity differs (another instance's, copied or swapped in) is not used.
struct DigestCacheIdentity: Equatable {
  var configFile: String
  var root: String?
  /// Area names and paths, in the instance's (canonical) order.
  var areas: [(name: String, path: String)]

  var areaNames: [String] { areas.map(\.name) }

  init(_ instance: CyrusInstance) {
    configFile = instance.configFile
    root = instance.root
    areas = instance.areas.map { ($0.name, $0.path) }
  }

  /// The identity as bytes, stored in the cache header and hashed for the file name.
  var encoded: [UInt8] {
    var out = CacheByteWriter()
    func string(_ text: String) {
      out.varint(UInt64(text.utf8.count))
      out.raw(text.utf8)
    }
    string(configFile)
    string(root ?? "")
    out.byte(root == nil ? 0 : 1)
    out.varint(UInt64(areas.count))
    for area in areas {
      string(area.name)
      string(area.path)
    }
    return out.bytes
  }

  static func == (lhs: Self, rhs: Self) -> Bool { lhs.encoded == rhs.encoded }
}
