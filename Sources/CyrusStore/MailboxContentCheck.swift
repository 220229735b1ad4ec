import CyrusFormats

/// Reads one mailbox directory's `cyrus.index` (and a 2.3 `cyrus.expunge`) against the message
/// files listed beside it: every live record has its `<uid>.` file of the recorded size, and
/// every message file has a record (§7.4 of the formats reference: 2.2 removes expunged
/// records; 2.3 may move them to cyrus.expunge with their files kept; 2.4+ keeps them flagged
/// EXPUNGED, and UNLINKED once the file is gone).
///
/// The sizes are not looked at here: ``PendingMailboxNotes`` compares them with the `fstatat`
/// the walker does of each message file anyway.
///
/// Memory: the directory's names (already listed by the walk), one record at a time, and the
/// recorded size of each live message whose file is listed.
enum MailboxContentCheck {
  /// The notes for one mailbox: its `cyrus.index` (and `cyrus.expunge`, if `hasExpunge`) in
  /// `indexDirectory` (a path on this host, open at `indexDirectoryFD`: the files are opened
  /// in it, never by path) against the message files named `messageNames`.
  /// Both lie in the same directory unless a metapartition keeps the cyrus.* files apart from
  /// the messages (then `indexDirectory` is the metapartition's). The notes still wait for the
  /// message files' sizes.
  static func notes(
    messageNames names: DirectoryNames, indexDirectory path: String,
    indexDirectoryFD directory: Int32,
    hasExpunge: Bool,
    userFlags flagNames: [String?], keepGUIDs: Bool = false
  )
    -> (
      notes: PendingMailboxNotes, summary: IndexSummary?, guids: [UInt32: MessageGUID]
    )
  {
    var guids: [UInt32: MessageGUID] = [:]
    var digests = IndexDigests()
    var files: Set<UInt32> = []
    // Sized from the listing already in memory (not from the index's record count), so the
    // set and the table of expected sizes are not rehashed as they grow.
    files.reserveCapacity(names.count)
    names.forEach { name in
      if let uid = messageUID(name) { files.insert(uid) }
    }
    var pending = PendingMailboxNotes()
    pending.reserveExpected(files.count)
    var expungedKept: Set<UInt32> = []
    if hasExpunge,
      let reader = try? IndexReader(
        FileBytes(name: MailboxFileNames.expunge, in: directory, path: path + "/cyrus.expunge"))
    {
      _ = try? reader.forEachRecord { expungedKept.insert($0.uid) }
    }
    do {
      let reader = try IndexReader(
        FileBytes(name: MailboxFileNames.index, in: directory, path: path + "/cyrus.index"))
      let summary = try reader.forEachRecord { record in
        let present = files.remove(record.uid) != nil
        if !record.isExpunged { digests.add(record, flagNames: flagNames) }
        // Only for files listed: memory follows the directory, not the index's claims.
        if keepGUIDs, present, !record.guid.isZero { guids[record.uid] = record.guid }
        if record.isExpunged {
          if present && record.isUnlinked {
            pending.add(
              MailboxNote(
                .fileOrphan, uid: record.uid, detail: "its record is expunged and unlinked"))
          }
          return
        }
        guard present else {
          pending.add(
            MailboxNote(.fileMissing, uid: record.uid, detail: "index records \(record.size) bytes")
          )
          return
        }
        pending.expect(uid: record.uid, size: record.size)
      }
      for problem in summary.problems {
        pending.add(MailboxNote(.indexDamaged, detail: "\(problem)"))
      }
      for uid in files.sorted() where !expungedKept.contains(uid) {
        pending.add(MailboxNote(.fileOrphan, uid: uid, detail: "no index record"))
      }
      let header = reader.header
      return (
        pending,
        IndexSummary(
          minorVersion: header.version.minor, uidValidity: header.uidValidity,
          lastUID: header.lastUID,
          liveMessages: digests.count, messagesDigest: digests.messages,
          seenDigest: header.version.minor >= 12 ? digests.seen : nil,
          guidDigest: digests.allGUIDs && header.version.minor >= 10 ? digests.guids : nil,
          clean: summary.isClean, syncCRC: summary.isClean ? header.syncCRC : nil,
          seenUIDs: header.version.minor >= 12 ? digests.seenUIDs : nil),
        guids
      )
    } catch {
      pending.add(MailboxNote(.indexUnreadable, detail: "\(error)"))
      return (pending, nil, [:])
    }
  }

  /// The UID of a message file name `<digits>.`.
  static func messageUID<Name: BidirectionalCollection<UInt8>>(_ name: Name) -> UInt32? {
    guard name.count >= 2, name.count <= 11, name.last == 0x2E else { return nil }
    var value: UInt64 = 0
    for byte in name.dropLast() {
      guard byte >= 0x30 && byte <= 0x39 else { return nil }
      value = value * 10 + UInt64(byte - 0x30)
    }
    return value <= UInt64(UInt32.max) ? UInt32(value) : nil
  }
}

/// Keeps ``MailboxNote/limitPerMailbox`` notes and counts the rest per kind.
struct NoteCollector {
  private(set) var kept: [MailboxNote] = []
  private var dropped: [MailboxNote.Kind: Int] = [:]

  mutating func add(_ note: MailboxNote) {
    if kept.count < MailboxNote.limitPerMailbox {
      kept.append(note)
    } else {
      dropped[note.kind, default: 0] += 1
    }
  }

  /// Counts `count` notes of `kind` as dropped: notes known to come after the kept ones.
  mutating func drop(_ kind: MailboxNote.Kind, count: Int) {
    guard count > 0 else { return }
    dropped[kind, default: 0] += count
  }

  var notes: [MailboxNote] {
    kept
      + MailboxNote.Kind.allCases.compactMap { kind in
        dropped[kind].map { MailboxNote(kind, detail: "and \($0) more in this mailbox") }
      }
  }
}
