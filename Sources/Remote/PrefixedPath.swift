import CyrusStore

/// A path on the wire as the length of the prefix it shares with the previous path of the same
/// stream, then the rest: how entries and segment summaries, which come in canonical order,
/// send their paths. Encoder and decoder each keep the previous path; a new area starts over.
struct PrefixedPath {
  private var previous: [UInt8] = []

  /// Forgets the previous path (a new area).
  mutating func reset() { previous = [] }

  /// Writes `path`: the shared-prefix length (varint), then the suffix (field).
  mutating func write(_ path: EntryPath, to out: inout ByteWriter) {
    let bytes = path.bytes
    var shared = 0
    while shared < bytes.count && shared < previous.count && bytes[shared] == previous[shared] {
      shared += 1
    }
    out.varint(shared)
    out.field(bytes[shared...])
    previous = bytes
  }

  /// Reads what ``write(_:to:)`` wrote; a prefix longer than the previous path, or a path past
  /// ``RemoteLimits/fieldBytes``, is an error.
  mutating func read(from input: inout ByteReader) throws(RemoteProtocolError) -> EntryPath {
    let shared = try input.readCount(limit: previous.count, "shared path prefix")
    let suffix = try input.readField("path")
    guard shared + suffix.count <= RemoteLimits.fieldBytes else {
      throw input.error(.tooLarge, "path over \(RemoteLimits.fieldBytes) bytes")
    }
    previous = Array(previous[0..<shared]) + suffix
    return EntryPath(bytes: previous)
  }
}
