import Crypto
import CyrusFormats

/// A per-user state file of the config directory — a seen database or a subscription list —
/// reduced to what it means, so that copies compare by content rather than by bytes: a seen
/// database Cyrus 3.6 converted from skiplist to twoskip, or repacked, means the same. Rides on
/// the file's entry like ``IndexSummary``.
public struct StateSummary: Sendable, Equatable {
  /// Which kind of state.
  public enum Kind: UInt8, Sendable {
    /// `*.seen` / `seen.db`: mailbox uniqueid → seen UIDs (§8).
    case seen = 1
    /// `*.sub` / `sub.db`: the set of subscribed mailbox names (§9).
    case subscriptions = 2
    /// A quotalegacy file `quota/<h>/<root>` (§10.1): limits in ``digest``, usage in
    /// ``usageDigest``.
    case quota = 3
  }

  /// Which kind of state.
  public var kind: Kind
  /// Records (mailboxes with seen state, or subscriptions).
  public var records: UInt32
  /// SHA-256 (first 8 bytes, hex) over the records in key order: for seen state the key, the
  /// last UID and the canonical seen set (the same set written differently is equal; read times
  /// are left out); for subscriptions the names (the version record left out).
  public var digest: String
  /// Why the file could not be read or a record not parsed, if so.
  public var problem: String?
  /// Quota only: the usage (which `quota -f` can recompute), apart from the limits (which it
  /// cannot).
  public var usageDigest: String?
  /// Seen state and subscriptions: every record, sorted by key, for itemized findings; `nil`
  /// for quota, for a file that could not be read to its meaning, and for one over
  /// ``maxItems`` or ``maxItemBytes`` (then only ``digest`` is compared).
  public var items: [StateItem]?
  /// Subscriptions only: whether the file has 3.6's version record (keys `N` + dbname, the
  /// owner's own mailboxes written `INBOX…`) or the older layout (keys are internal names).
  public var subscriptionLayout: Subscriptions.Layout?

  /// Most records kept as ``items`` per file. Unit: records.
  public static let maxItems = 10_000
  /// Most key and value bytes kept as ``items`` per file. Unit: bytes.
  public static let maxItemBytes = 1 << 20
  /// Longest key or value kept as an item (a seen set can be longer; then the file is
  /// compared by digest only). Unit: bytes.
  public static let maxItemFieldBytes = 1 << 15
  /// Most key and value bytes of ``items`` that a queue between threads or sides holds
  /// before it waits (each file may carry ``maxItemBytes``, so a count of entries alone would
  /// let a run of large seen files hold gigabytes). Unit: bytes.
  public static let queuedItemBytes = 16 << 20

  /// The key and value bytes of ``items``: what the summary holds beyond its fixed size.
  public var heldBytes: Int {
    items?.reduce(0) { $0 + $1.key.count + $1.value.utf8.count } ?? 0
  }

  /// Makes a summary.
  public init(
    kind: Kind, records: UInt32, digest: String, problem: String?, usageDigest: String? = nil,
    items: [StateItem]? = nil, subscriptionLayout: Subscriptions.Layout? = nil
  ) {
    self.kind = kind
    self.records = records
    self.digest = digest
    self.problem = problem
    self.usageDigest = usageDigest
    self.items = items
    self.subscriptionLayout = subscriptionLayout
  }

  /// Whether the records were left out because the file is over the item limits (not because
  /// it could not be read).
  public var itemsOverLimit: Bool { kind != .quota && problem == nil && items == nil }

  /// The state kind of a config-directory path: quota files by place, the others by name.
  public static func kind(of path: EntryPath) -> Kind? {
    let parts = path.components
    if parts.count == 3, parts[0].elementsEqual("quota".utf8) { return .quota }
    if parts.count == 6, parts[0].elementsEqual("domain".utf8), parts[3].elementsEqual("quota".utf8)
    {
      return .quota
    }
    return kind(ofFileNamed: Array(path.lastComponent))
  }

  /// Reads a quota file, `name` in the directory open at `directory`: limits and usage as
  /// sorted `resource value` lines.
  static func readQuota(name: [UInt8], in directory: Int32, path: String) -> StateSummary {
    do {
      let record = try QuotaRecord.parse(
        try SystemFiles.readFile(name, in: directory, path: path, limit: QuotaRecord.maxLength))
      // Usage as readable pairs (`STORAGE 8774, MESSAGE 11`): compared, and shown, by resource.
      func digest(_ values: [QuotaRecord.Resource: Int64]) -> String {
        values.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
          .joined(separator: ", ")
      }
      let limits = record.limits.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }
        .joined(separator: ", ")
      return StateSummary(
        kind: .quota, records: UInt32(record.limits.count),
        digest: limits.isEmpty ? "no limits" : limits, problem: nil,
        usageDigest: digest(record.usage))
    } catch {
      return StateSummary(kind: .quota, records: 0, digest: "", problem: "\(error)")
    }
  }

  static func short(_ text: String) -> String {
    SHA256.hash(data: Array(text.utf8)).prefix(8).map {
      String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16)
    }.joined()
  }

  /// The kind of state a config-directory file holds, by its name (§8.1, §9.1, 3.6 uuid layout).
  public static func kind(ofFileNamed name: [UInt8]) -> Kind? {
    let text = String(decoding: name, as: UTF8.self)
    if text == "seen.db" || (text.hasSuffix(".seen") && text.count > 5) { return .seen }
    if text == "sub.db" || (text.hasSuffix(".sub") && text.count > 4) { return .subscriptions }
    return nil
  }

  /// Reads the state file `name` in the directory open at `directory` (never by path: no
  /// symlink, no FIFO; `path` names it): the digest over every record, and the records
  /// themselves as long as they stay within the item limits. A Berkeley DB file (2.2) is read
  /// by libdb, which opens `path`.
  static func read(
    name: [UInt8], in directory: Int32, path: String, kind: Kind,
    berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) -> StateSummary {
    if kind == .quota { return readQuota(name: name, in: directory, path: path) }
    var hasher = SHA256()
    var records: UInt32 = 0
    var problem: String?
    var items: [StateItem]? = []
    var itemBytes = 0
    var layout = Subscriptions.Layout.legacy
    func keep(_ item: StateItem) {
      guard items != nil else { return }
      itemBytes += item.key.count + item.value.utf8.count
      if item.key.count > maxItemFieldBytes || item.value.utf8.count > maxItemFieldBytes
        || itemBytes > maxItemBytes || (items?.count ?? 0) >= maxItems
      {
        items = nil
      } else {
        items?.append(item)
      }
    }
    do {
      try CyrusDatabaseFile(
        file: FileBytes(name: name, in: directory, path: path), path: path, berkeley: berkeley
      )
      .forEachRecord { record in
        switch kind {
        case .seen:
          do {
            let value = try SeenValue(parsing: record.value)
            let seen = value.seen.description
            hasher.update(data: record.key + Array(" \(value.lastUID) \(seen)\n".utf8))
            keep(
              StateItem(
                key: record.key, value: StateItem.seenText(lastUID: value.lastUID, seen: seen)))
          } catch {
            if problem == nil { problem = "record \(EntryPath.escape(record.key)): \(error)" }
            return
          }
        case .subscriptions:
          if record.key.first == 0x1F {  // the 3.6 version record
            if record.key == Subscriptions.versionKey { layout = .version2 }
            return
          }
          hasher.update(data: record.key + [0x0A])
          keep(StateItem(key: record.key, value: ""))
        case .quota:
          return
        }
        records += 1
      }
    } catch {
      problem = "\(error)"
    }
    let digest = hasher.finalize().prefix(8).map {
      String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16)
    }.joined()
    return StateSummary(
      kind: kind, records: records, digest: digest, problem: problem,
      items: problem == nil ? items?.sorted { $0.key.lexicographicallyPrecedes($1.key) } : nil,
      subscriptionLayout: kind == .subscriptions ? layout : nil)
  }
}

extension ManifestEntry {
  /// The bytes of seen and subscription records the entry carries (``StateSummary/heldBytes``,
  /// 0 without a state summary): what the queues between threads and sides count against
  /// ``StateSummary/queuedItemBytes``.
  public var heldStateBytes: Int { stateSummary?.heldBytes ?? 0 }
}
