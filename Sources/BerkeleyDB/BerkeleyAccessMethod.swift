internal import CBerkeleyDB

/// A Berkeley DB access method (`DBTYPE` in `db.h`): how a database file stores its records.
///
/// Cyrus 2.2–2.5 wrote `DB_BTREE` for the `berkeley` and `berkeley-nosync` backends and
/// `DB_HASH` for `berkeley-hash` and `berkeley-hash-nosync` (2.2.13 lib/cyrusdb_berkeley.c).
public enum BerkeleyAccessMethod: String, Sendable, Hashable, CaseIterable,
  CustomStringConvertible
{
  /// `DB_BTREE`: records in key order, bytewise with Berkeley DB's default comparator.
  case btree
  /// `DB_HASH`: records in bucket order.
  case hash
  /// `DB_RECNO`: records keyed by a 4-byte record number. Cyrus never wrote these.
  case recno
  /// `DB_QUEUE`: fixed-length records keyed by record number. Cyrus never wrote these.
  case queue
  /// `DB_HEAP`: unordered records (Berkeley DB 5.2+). Cyrus never wrote these.
  case heap

  public var description: String { rawValue }

  init?(_ type: DBTYPE) {
    switch type {
    case DB_BTREE: self = .btree
    case DB_HASH: self = .hash
    case DB_RECNO: self = .recno
    case DB_QUEUE: self = .queue
    case DB_HEAP: self = .heap
    default: return nil
    }
  }

  var dbType: DBTYPE {
    switch self {
    case .btree: DB_BTREE
    case .hash: DB_HASH
    case .recno: DB_RECNO
    case .queue: DB_QUEUE
    case .heap: DB_HEAP
    }
  }
}
