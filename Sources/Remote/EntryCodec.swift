import CyrusStore

/// The wire form of a ``ManifestEntry``, shared by the agent protocol and saved manifests.
///
/// The encoder keeps the previous entry's area, path, owner, group and mailbox, and writes only
/// what changed (a path as the length of the prefix it shares with the previous one plus the
/// rest). A segment or a manifest batch starts from a fresh encoder, so the same entries always
/// encode to the same bytes: that is what a segment digest is taken over.
///
/// An entry: `flags` (varint, ``Flag``), [area], shared-prefix length, suffix, kind (1 byte),
/// size, mode, uid, gid, [owner], [group], mtime seconds (zigzag), nanoseconds, [link target],
/// [digest, 32 bytes], [hard-link leader], [mailbox], [problem: tag byte and text], [mailbox
/// notes], [index summary], [state summary with its items], [header uniqueid].
struct EntryEncoder {
  private var area: String?
  private var path = PrefixedPath()
  private var owner: String?
  private var group: String?
  private var mailbox: String?

  /// Bits of an entry's flags varint.
  enum Flag {
    static let area: UInt64 = 1 << 0
    static let owner: UInt64 = 1 << 1
    static let ownerSame: UInt64 = 1 << 2
    static let group: UInt64 = 1 << 3
    static let groupSame: UInt64 = 1 << 4
    static let linkTarget: UInt64 = 1 << 5
    static let digest: UInt64 = 1 << 6
    static let leader: UInt64 = 1 << 7
    static let leaderIsSelf: UInt64 = 1 << 8
    static let mailbox: UInt64 = 1 << 9
    static let mailboxSame: UInt64 = 1 << 10
    static let problem: UInt64 = 1 << 11
    static let notes: UInt64 = 1 << 12
    static let indexSummary: UInt64 = 1 << 13
    static let stateSummary: UInt64 = 1 << 14
    static let headerUniqueID: UInt64 = 1 << 15
    static let known: UInt64 = (1 << 16) - 1
  }

  mutating func encode(_ entry: ManifestEntry, into out: inout ByteWriter) {
    var flags: UInt64 = 0
    if entry.area != area { flags |= Flag.area }
    if let owner = entry.owner {
      flags |= owner == self.owner ? Flag.owner | Flag.ownerSame : Flag.owner
    }
    if let group = entry.group {
      flags |= group == self.group ? Flag.group | Flag.groupSame : Flag.group
    }
    if entry.linkTarget != nil { flags |= Flag.linkTarget }
    if entry.digest != nil { flags |= Flag.digest }
    if let leader = entry.hardLinkLeader {
      flags |= leader == entry.location ? Flag.leader | Flag.leaderIsSelf : Flag.leader
    }
    if let mailbox = entry.mailbox {
      flags |= mailbox == self.mailbox ? Flag.mailbox | Flag.mailboxSame : Flag.mailbox
    }
    if entry.problem != nil { flags |= Flag.problem }
    if !entry.notes.isEmpty { flags |= Flag.notes }
    if entry.indexSummary != nil { flags |= Flag.indexSummary }
    if entry.stateSummary != nil { flags |= Flag.stateSummary }
    if entry.headerUniqueID != nil { flags |= Flag.headerUniqueID }
    out.varint(flags)
    if flags & Flag.area != 0 {
      out.string(entry.area)
      area = entry.area
      path.reset()
    }
    path.write(entry.path, to: &out)
    out.byte(EntryKindCode.code(entry.kind))
    out.varint(entry.size)
    out.varint(UInt64(entry.mode))
    out.varint(UInt64(entry.uid))
    out.varint(UInt64(entry.gid))
    if flags & (Flag.owner | Flag.ownerSame) == Flag.owner, let owner = entry.owner {
      out.string(owner)
      self.owner = owner
    }
    if flags & (Flag.group | Flag.groupSame) == Flag.group, let group = entry.group {
      out.string(group)
      self.group = group
    }
    let seconds = entry.mtime.seconds
    out.varint(UInt64(bitPattern: (seconds << 1) ^ (seconds >> 63)))
    out.varint(UInt64(UInt32(bitPattern: entry.mtime.nanoseconds)))
    if let target = entry.linkTarget { out.field(target) }
    if let digest = entry.digest {
      precondition(digest.count == RemoteLimits.digestBytes, "a content digest is SHA-256")
      out.raw(digest)
    }
    if flags & (Flag.leader | Flag.leaderIsSelf) == Flag.leader, let leader = entry.hardLinkLeader {
      out.string(leader)
    }
    if flags & (Flag.mailbox | Flag.mailboxSame) == Flag.mailbox, let mailbox = entry.mailbox {
      out.string(mailbox)
      self.mailbox = mailbox
    }
    if let problem = entry.problem {
      switch problem {
      case .vanished: out.byte(1)
      case .unreadable(let text):
        out.byte(2)
        out.string(text)
      case .changedWhileReading: out.byte(3)
      case .unlistable(let text):
        out.byte(4)
        out.string(text)
      }
    }
    if !entry.notes.isEmpty {
      out.varint(entry.notes.count)
      for note in entry.notes {
        out.byte(note.kind.rawValue)
        out.varint(note.uid.map { UInt64($0) + 1 } ?? 0)
        out.string(note.detail)
      }
    }
    if let summary = entry.indexSummary {
      out.varint(UInt64(summary.minorVersion))
      out.varint(UInt64(summary.uidValidity))
      out.varint(UInt64(summary.lastUID))
      out.varint(UInt64(summary.liveMessages))
      out.string(summary.messagesDigest)
      out.optionalString(summary.seenDigest)
      out.optionalString(summary.guidDigest)
      out.byte(summary.clean ? 1 : 0)
      out.optionalUInt32(summary.syncCRC)
      out.optionalString(summary.seenUIDs)
    }
    if let state = entry.stateSummary {
      out.byte(state.kind.rawValue)
      out.varint(UInt64(state.records))
      out.string(state.digest)
      out.optionalString(state.problem)
      out.optionalString(state.usageDigest)
      StateItemsCodec.encode(state, into: &out)
    }
    if let uniqueID = entry.headerUniqueID { out.string(uniqueID) }
  }
}

/// Reads what ``EntryEncoder`` wrote, keeping the same state.
struct EntryDecoder {
  private var area: String?
  private var path = PrefixedPath()
  private var owner: String?
  private var group: String?
  private var mailbox: String?

  mutating func decode(from input: inout ByteReader) throws(RemoteProtocolError) -> ManifestEntry {
    typealias Flag = EntryEncoder.Flag
    let flags = try input.readVarint()
    guard flags & ~Flag.known == 0 else {
      throw input.error(.unexpected, "unknown entry flags 0x\(String(flags, radix: 16))")
    }
    if flags & Flag.area != 0 {
      area = try input.readString("area name")
      path.reset()
    }
    guard let area else { throw input.error(.corrupt, "the first entry names no area") }
    let entryPath = try path.read(from: &input)
    guard let kind = EntryKindCode.kind(try input.readByte()) else {
      throw input.error(.unexpected, "unknown entry kind")
    }
    var entry = ManifestEntry(area: area, path: entryPath, kind: kind)
    entry.size = try input.readVarint()
    entry.mode = try input.readUInt32()
    entry.uid = try input.readUInt32()
    entry.gid = try input.readUInt32()
    if flags & Flag.owner != 0 {
      if flags & Flag.ownerSame == 0 { owner = try input.readString("owner") }
      guard let owner else {
        throw input.error(.corrupt, "owner repeats a previous one that does not exist")
      }
      entry.owner = owner
    }
    if flags & Flag.group != 0 {
      if flags & Flag.groupSame == 0 { group = try input.readString("group") }
      guard let group else {
        throw input.error(.corrupt, "group repeats a previous one that does not exist")
      }
      entry.group = group
    }
    let zigzag = try input.readVarint()
    let seconds = Int64(bitPattern: zigzag >> 1) ^ -Int64(bitPattern: zigzag & 1)
    let nanoseconds = try input.readUInt32()
    entry.mtime = Timestamp(seconds: seconds, nanoseconds: Int32(bitPattern: nanoseconds))
    if flags & Flag.linkTarget != 0 { entry.linkTarget = try input.readField("link target") }
    if flags & Flag.digest != 0 { entry.digest = try input.readBytes(RemoteLimits.digestBytes) }
    if flags & Flag.leader != 0 {
      entry.hardLinkLeader =
        flags & Flag.leaderIsSelf != 0 ? entry.location : try input.readString("hard-link leader")
    }
    if flags & Flag.mailbox != 0 {
      if flags & Flag.mailboxSame == 0 { mailbox = try input.readString("mailbox") }
      guard let mailbox else {
        throw input.error(.corrupt, "mailbox repeats a previous one that does not exist")
      }
      entry.mailbox = mailbox
    }
    if flags & Flag.problem != 0 {
      switch try input.readByte() {
      case 1: entry.problem = .vanished
      case 2: entry.problem = .unreadable(try input.readString("problem text"))
      case 3: entry.problem = .changedWhileReading
      case 4: entry.problem = .unlistable(try input.readString("problem text"))
      default: throw input.error(.unexpected, "unknown problem code")
      }
    }
    if flags & Flag.notes != 0 {
      let count = try input.readCount(
        limit: MailboxNote.limitPerMailbox + MailboxNote.Kind.allCases.count, "note count")
      for _ in 0..<count {
        guard let kind = MailboxNote.Kind(rawValue: try input.readByte()) else {
          throw input.error(.unexpected, "unknown mailbox note kind")
        }
        let uid = try input.readVarint()
        guard uid <= UInt64(UInt32.max) + 1 else {
          throw input.error(.unexpected, "note UID out of range")
        }
        entry.notes.append(
          MailboxNote(
            kind, uid: uid == 0 ? nil : UInt32(uid - 1), detail: try input.readString("note")))
      }
    }
    if flags & Flag.indexSummary != 0 {
      entry.indexSummary = IndexSummary(
        minorVersion: try input.readUInt32(), uidValidity: try input.readUInt32(),
        lastUID: try input.readUInt32(),
        liveMessages: try input.readUInt32(), messagesDigest: try input.readString("index digest"),
        seenDigest: try input.readOptionalString("seen digest"),
        guidDigest: try input.readOptionalString("GUID digest"),
        clean: try input.readByte() == 1, syncCRC: try input.readOptionalUInt32(),
        seenUIDs: try input.readOptionalString("seen UIDs"))
    }
    if flags & Flag.stateSummary != 0 {
      guard let kind = StateSummary.Kind(rawValue: try input.readByte()) else {
        throw input.error(.unexpected, "unknown state kind")
      }
      var state = StateSummary(
        kind: kind, records: try input.readUInt32(), digest: try input.readString("state digest"),
        problem: try input.readOptionalString("state problem"),
        usageDigest: try input.readOptionalString("usage digest"))
      try StateItemsCodec.decode(into: &state, from: &input)
      entry.stateSummary = state
    }
    if flags & Flag.headerUniqueID != 0 {
      entry.headerUniqueID = try input.readString("header uniqueid")
    }
    return entry
  }

  /// Decodes every entry of a payload, expecting `count` of them, whose paths together hold at
  /// most `pathBytesLimit` bytes (paths are shared prefixes on the wire: decoded, a small
  /// payload could otherwise hold a long path thousands of times).
  static func decodeAll(
    _ bytes: [UInt8], baseOffset: Int, count: Int, pathBytesLimit: Int = Int.max
  ) throws(RemoteProtocolError) -> [ManifestEntry] {
    var input = ByteReader(bytes, baseOffset: baseOffset)
    var decoder = EntryDecoder()
    var entries: [ManifestEntry] = []
    var pathBytes = 0
    entries.reserveCapacity(count)
    while !input.isAtEnd {
      guard entries.count < count else {
        throw input.error(.corrupt, "more entries than the \(count) announced")
      }
      let entry = try decoder.decode(from: &input)
      guard entry.path.bytes.count <= pathBytesLimit - pathBytes else {
        throw input.error(.tooLarge, "paths of more than \(pathBytesLimit) bytes in one segment")
      }
      pathBytes += entry.path.bytes.count
      entries.append(entry)
    }
    guard entries.count == count else {
      throw input.error(.corrupt, "\(entries.count) entries, \(count) announced")
    }
    return entries
  }
}

/// One byte per ``EntryKind``; codes never change meaning.
enum EntryKindCode {
  static let table: [(EntryKind, UInt8)] = [
    (.unknown, 0), (.file, 1), (.directory, 2), (.symlink, 3), (.fifo, 4), (.socket, 5),
    (.blockDevice, 6), (.characterDevice, 7),
  ]
  static func code(_ kind: EntryKind) -> UInt8 { table.first { $0.0 == kind }?.1 ?? 0 }
  static func kind(_ code: UInt8) -> EntryKind? { table.first { $0.1 == code }?.0 }
}
