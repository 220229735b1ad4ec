import BerkeleyDB
import CyrusFormats

/// One cyrusdb file on disk (mailboxes.db, a seen db, a subscription file), opened with the
/// backend its first bytes show — never the one the config claims, since Cyrus 3.6 converts
/// files in place (§4.8 of the formats reference) — or with an explicit override.
public struct CyrusDatabaseFile: Sendable {
  /// The path, for messages.
  public let path: String
  /// The backend used to read it.
  public let kind: CyrusDBKind
  /// Key order the reader checks.
  public let keyOrder: CyrusKeyOrder?
  /// Reads the file when it is a Berkeley DB file.
  public let berkeley: any BerkeleyRecordReader
  /// The file, opened once (no FIFO, no symlink): detection and records read the same file,
  /// never a second open by path that could meet another — a Berkeley DB file too, whose
  /// reader is given this descriptor.
  private let file: FileBytes

  /// Opens `path` and detects its backend (or takes `backend`); a Berkeley DB file is read
  /// through `berkeley`.
  public init(
    path: String, backend: CyrusDBKind? = nil, keyOrder: CyrusKeyOrder? = nil,
    berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) throws(CyrusStoreError) {
    try self.init(
      file: try FileBytes(path: path), path: path, backend: backend, keyOrder: keyOrder,
      berkeley: berkeley)
  }

  /// Reads an already open file; `path` names it.
  init(
    file: FileBytes, path: String, backend: CyrusDBKind? = nil, keyOrder: CyrusKeyOrder? = nil,
    berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) throws(CyrusStoreError) {
    self.path = path
    self.keyOrder = keyOrder
    self.file = file
    self.berkeley = berkeley
    if let backend {
      self.kind = backend
    } else {
      let prefix: [UInt8]
      do {
        prefix = try file.bytes(at: 0, count: min(file.count, CyrusDBKind.prefixLength))
      } catch {
        throw CyrusStoreError(.system, path: path, detail: "cannot read: \(error)")
      }
      self.kind = CyrusDBKind.detect(prefix)
    }
  }

  /// Streams every record in the file's order (Berkeley DB files through ``berkeley``).
  /// - Parameter flatEscaping: `.binarySafe` for 2.5+ flat files, `.none` for 2.2–2.4.
  /// - Returns: non-fatal problems the reader noticed (a record count that disagrees, …).
  /// - Throws: ``CyrusDatabaseError`` for damage that stops the read, naming the file and offset.
  @discardableResult
  public func forEachRecord(
    flatEscaping: FlatReader<FileBytes>.Escaping = .binarySafe,
    _ body: (CyrusDBRecord) throws -> Void
  ) throws -> [CyrusDBError] {
    do {
      switch kind {
      case .empty:
        return []
      case .twoskip:
        return try TwoskipReader(file, keyOrder: keyOrder ?? .raw).forEachRecord(
          body
        ).warnings
      case .skiplist:
        return try SkiplistReader(file, keyOrder: keyOrder ?? .signedChar)
          .forEachRecord(body).warnings
      case .flat:
        return try FlatReader(
          file, escaping: flatEscaping, keyOrder: keyOrder ?? .mailbox
        )
        .forEachRecord(body).warnings
      case .berkeleyBtree, .berkeleyHash:
        try berkeley.read(descriptor: file.descriptor, path: path, kind: kind, body)
        return []
      }
    } catch let error as CyrusDBError {
      throw CyrusDatabaseError(
        path: path, kind: kind, reason: error.description, offset: error.offset)
    } catch let error as BerkeleyError {
      throw CyrusDatabaseError(path: path, kind: kind, reason: error.description, offset: nil)
    } catch let error as CyrusStoreError {
      throw CyrusDatabaseError(path: path, kind: kind, reason: error.detail, offset: nil)
    }
  }
}

/// A cyrusdb file that could not be read to the end: the path, the backend, the reason with
/// the offset where the format says it.
public struct CyrusDatabaseError: Error, Sendable, CustomStringConvertible {
  /// The file.
  public var path: String
  /// The backend it was read as.
  public var kind: CyrusDBKind
  /// What went wrong (includes the offset in hex when known).
  public var reason: String
  /// Byte offset of the damage, when known.
  public var offset: Int?

  public init(path: String, kind: CyrusDBKind, reason: String, offset: Int?) {
    self.path = path
    self.kind = kind
    self.reason = reason
    self.offset = offset
  }

  public var description: String { "\(path) (\(kind.rawValue)): \(reason)" }
}
