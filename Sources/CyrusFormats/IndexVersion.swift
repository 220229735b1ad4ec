/// The layout facts of one `cyrus.index` minor version: how big its header and records are and
/// which fields they hold (format reference §7.1–§7.2; the all-versions reader
/// `mailbox_buf_to_index_header` / `mailbox_buf_to_index_record`, 3.6.1 imap/mailbox.c:1829-2100).
///
/// | minor | Cyrus | header | record |
/// |---|---|---|---|
/// | 6 | 2.2.2 – 2.2.13 | 76 | 60 |
/// | 7 | 2.3.0 – 2.3.3 | 76 | 72 |
/// | 8 | 2.3.4 – 2.3.6 | 92 | 80 |
/// | 9 | 2.3.7 – 2.3.9 | 96 | 80 |
/// | 10 | 2.3.10 – 2.3.x | 96 | 88 |
/// | 12 | 2.4 | 128 | 96 |
/// | 13 | 2.5 – 3.1.3 | 128 | 104 |
/// | 14, 15 | 3.1.4 | 160 | 104 |
/// | 16 | 3.1.5 – 3.2 | 160 | 112 |
/// | 17 | 3.3 – 3.8 (3.6.1) | 160 | 112 |
///
/// Minor 11 never shipped and 3.6.1 refuses it; minor ≤ 5 (2.1, 2.2.0/2.2.1) lacks the quota
/// word at offset 32, which Cyrus 2.2 upgraded on open, and is not read here.
public struct IndexVersion: Hashable, Sendable, CustomStringConvertible {
  public let minor: UInt32
  /// Bytes of the header, CRC included. Unit: bytes.
  public let headerSize: Int
  /// Bytes of one record, CRC included. Unit: bytes.
  public let recordSize: Int

  /// The versions this reader knows, with their sizes (3.6.1 imap/mailbox.c:1844-1870 for
  /// headers; record sizes from each tag's `INDEX_RECORD_SIZE`).
  public static let known: [UInt32: IndexVersion] = {
    let table: [(UInt32, Int, Int)] = [
      (6, 76, 60), (7, 76, 72), (8, 92, 80), (9, 96, 80), (10, 96, 88), (12, 128, 96),
      (13, 128, 104), (14, 160, 104), (15, 160, 104), (16, 160, 112), (17, 160, 112),
    ]
    var out: [UInt32: IndexVersion] = [:]
    for (m, h, r) in table { out[m] = IndexVersion(minor: m, headerSize: h, recordSize: r) }
    return out
  }()

  private init(minor: UInt32, headerSize: Int, recordSize: Int) {
    self.minor = minor
    self.headerSize = headerSize
    self.recordSize = recordSize
  }

  /// The known version `minor`, or nil.
  public init?(minor: UInt32) {
    guard let v = Self.known[minor] else { return nil }
    self = v
  }

  /// Header and records end in a CRC-32 of the bytes before it (2.4+).
  public var hasChecksums: Bool { minor >= 12 }
  /// Expunged records stay in the file with the EXPUNGED flag, and \Seen in the system flags
  /// is the owner's seen state (2.4+).
  public var keepsExpungedRecords: Bool { minor >= 12 }
  /// Records carry a 64-bit modseq (2.3.4+).
  public var hasModseq: Bool { minor >= 8 }
  /// Records carry a 20-byte GUID, the SHA-1 of the message file; always filled from 2.4
  /// (minor 10/2.3 only with `guid_mode: sha1`).
  public var hasGUID: Bool { minor >= 10 }

  /// The Cyrus releases that write this minor version.
  public var cyrusReleases: String {
    switch minor {
    case 6: "2.2"
    case 7: "2.3.0–2.3.3"
    case 8: "2.3.4–2.3.6"
    case 9: "2.3.7–2.3.9"
    case 10: "2.3.10+"
    case 12: "2.4"
    case 13: "2.5–3.1.3"
    case 14, 15: "3.1.4"
    case 16: "3.1.5–3.2"
    default: "3.3+"
    }
  }

  public var description: String { "minor \(minor) (Cyrus \(cyrusReleases))" }
}
