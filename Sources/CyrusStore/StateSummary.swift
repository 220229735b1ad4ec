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

  /// Makes a summary.
  public init(kind: Kind, records: UInt32, digest: String, problem: String?) {
    self.kind = kind
    self.records = records
    self.digest = digest
    self.problem = problem
  }

  /// The kind of state a config-directory file holds, by its name (§8.1, §9.1, 3.6 uuid layout).
  public static func kind(ofFileNamed name: [UInt8]) -> Kind? {
    let text = String(decoding: name, as: UTF8.self)
    if text == "seen.db" || (text.hasSuffix(".seen") && text.count > 5) { return .seen }
    if text == "sub.db" || (text.hasSuffix(".sub") && text.count > 4) { return .subscriptions }
    return nil
  }

  /// Reads the state file at `path`.
  static func read(path: String, kind: Kind) -> StateSummary {
    var hasher = SHA256()
    var records: UInt32 = 0
    var problem: String?
    do {
      try CyrusDatabaseFile(path: path).forEachRecord { record in
        switch kind {
        case .seen:
          do {
            let value = try SeenValue(parsing: record.value)
            hasher.update(data: record.key + Array(" \(value.lastUID) \(value.seen)\n".utf8))
          } catch {
            if problem == nil { problem = "record \(EntryPath.escape(record.key)): \(error)" }
            return
          }
        case .subscriptions:
          if record.key.first == 0x1F { return }  // the 3.6 version record
          hasher.update(data: record.key + [0x0A])
        }
        records += 1
      }
    } catch {
      problem = "\(error)"
    }
    let digest = hasher.finalize().prefix(8).map { String($0 >> 4, radix: 16) + String($0 & 0xF, radix: 16) }.joined()
    return StateSummary(kind: kind, records: records, digest: digest, problem: problem)
  }
}
