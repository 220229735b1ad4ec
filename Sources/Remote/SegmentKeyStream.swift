import CyrusStore

/// The keys (area, first path) of a stream of segment summaries or of groups: the area when it
/// changes (a flag byte, then its name), then the path as a prefix shared with the previous
/// key's (``PrefixedPath``). Writer and reader each keep the previous key; summaries and groups
/// are two streams, each with its own.
struct SegmentKeyStream {
  private var area: String?
  private var path = PrefixedPath()

  /// Writes the key `area`, `path`.
  mutating func write(area newArea: String, path newPath: EntryPath, to out: inout ByteWriter) {
    if newArea != area {
      out.byte(1)
      out.string(newArea)
      area = newArea
      path.reset()
    } else {
      out.byte(0)
    }
    path.write(newPath, to: &out)
  }

  /// Reads what ``write(area:path:to:)`` wrote; a first key without an area is an error naming
  /// `what` ("summary", "group").
  mutating func read(from input: inout ByteReader, _ what: String) throws(RemoteProtocolError)
    -> (area: String, path: EntryPath)
  {
    if try input.readByte() == 1 {
      area = try input.readString("area name")
      path.reset()
    }
    guard let area else { throw input.error(.corrupt, "the first \(what) names no area") }
    return (area, try path.read(from: &input))
  }
}
