/// What a mailbox's `cyrus.index` says, reduced to what two copies of the same mailbox must
/// agree on whatever bytes their files hold — so a failover whose Cyrus upgraded or rewrote an
/// index compares equal when its messages are the same (issue 4: "by content rather than by
/// bytes"). Rides on the `cyrus.index` entry, like ``MailboxNote`` on `cyrus.header`.
public struct IndexSummary: Sendable, Equatable {
  /// `cyrus.index` minor version (6–17): differs after an upgrade, so it is shown, not compared.
  public var minorVersion: UInt32
  /// UIDVALIDITY.
  public var uidValidity: UInt32
  /// The last UID given out.
  public var lastUID: UInt32
  /// Records not expunged.
  public var liveMessages: UInt32
  /// SHA-256 (first 8 bytes, hex) over the live records in UID order: UID, size, \Answered
  /// \Flagged \Deleted \Draft, and the names of their user flags (from cyrus.header).
  public var messagesDigest: String
  /// The same over UID and the owner's \Seen flag, for indexes that hold it (minor ≥ 12, 2.4+);
  /// `nil` before, where the owner's seen state lives in the seen database.
  public var seenDigest: String?
  /// The same over UID and message GUID (SHA-1 of the file), for indexes that hold GUIDs
  /// (minor ≥ 10 with non-zero GUIDs); `nil` otherwise.
  public var guidDigest: String?
  /// Whether the index read without any damage (a damaged index is never excused as rewritten).
  public var clean: Bool
  /// Cyrus's own per-mailbox sync CRC as stored in the index header (minor ≥ 12), when the
  /// header's value agrees with the records. Cyrus's replication compares exactly this value to
  /// decide whether two replicas of a mailbox agree; it covers UIDs, modseqs, flags, internal
  /// dates and GUIDs, so it catches state (a modseq) the other digests leave out. Its algorithm
  /// is fixed since 2.4 ("locked in", imap/mailbox.c), so indexes of different minor versions
  /// compare too; `nil` for older indexes and for damaged ones.
  public var syncCRC: UInt32?
  /// The owner's seen UIDs as a sequence set (`1:3,5`; empty for none), shown beside a
  /// differing ``seenDigest`` so the finding says which messages lost or gained \Seen; `nil`
  /// when the index holds no \Seen (before 2.4) or the set has over 200 ranges.
  public var seenUIDs: String?

  /// Makes a summary.
  public init(
    minorVersion: UInt32, uidValidity: UInt32, lastUID: UInt32, liveMessages: UInt32,
    messagesDigest: String,
    seenDigest: String?, guidDigest: String?, clean: Bool, syncCRC: UInt32? = nil,
    seenUIDs: String? = nil
  ) {
    self.minorVersion = minorVersion
    self.uidValidity = uidValidity
    self.lastUID = lastUID
    self.liveMessages = liveMessages
    self.messagesDigest = messagesDigest
    self.seenDigest = seenDigest
    self.guidDigest = guidDigest
    self.clean = clean
    self.syncCRC = syncCRC
    self.seenUIDs = seenUIDs
  }

  /// The fields in which two summaries of the same mailbox differ, with both values; optional
  /// digests are compared only when both sides have them.
  public func differences(from other: IndexSummary) -> [(
    field: String, mine: String, theirs: String
  )] {
    var result: [(String, String, String)] = []
    if uidValidity != other.uidValidity {
      result.append(("uidvalidity", "\(uidValidity)", "\(other.uidValidity)"))
    }
    if lastUID != other.lastUID { result.append(("last_uid", "\(lastUID)", "\(other.lastUID)")) }
    if liveMessages != other.liveMessages {
      result.append(("messages", "\(liveMessages)", "\(other.liveMessages)"))
    }
    if messagesDigest != other.messagesDigest {
      result.append(("uids/sizes/flags", messagesDigest, other.messagesDigest))
    }
    if let mine = seenDigest, let theirs = other.seenDigest, mine != theirs {
      if let mineSet = seenUIDs, let theirSet = other.seenUIDs {
        result.append(("\\Seen", Self.uidText(mineSet), Self.uidText(theirSet)))
      } else {
        result.append(("\\Seen", mine, theirs))
      }
    }
    if let mine = guidDigest, let theirs = other.guidDigest, mine != theirs {
      result.append(("GUIDs", mine, theirs))
    }
    if let mine = syncCRC, let theirs = other.syncCRC, mine != theirs {
      result.append(("sync_crc", hex(mine), hex(theirs)))
    }
    return result
  }

  private static func uidText(_ set: String) -> String { set.isEmpty ? "none" : "UIDs " + set }

  private func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }
}
