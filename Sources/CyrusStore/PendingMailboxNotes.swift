#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// One mailbox's notes as its index check (``MailboxContentCheck``) leaves them: complete but
/// for the sizes of the live messages' files, which are compared when the walker examines them.
///
/// The walker `fstatat`s every entry anyway, and a directory's message files `<uid>.` sort
/// before its `cyrus.header` (digits before letters), whose entry carries the notes. So each
/// size is compared with the walker's own stat of the file (``examined(name:info:)``) instead
/// of a second `fstatat` per message, and the notes are put together in the order the check
/// made them, within the per-mailbox limit, when the header is examined
/// (``notes(messageDirectoryFD:)``). A file the walker did not examine, and every file when the
/// messages lie in another area (a metapartition's partition), is looked at then.
///
/// Memory: the recorded size of each live message whose file is listed, until its file is
/// examined (the directory's own name list is larger), and at most
/// ``MailboxNote/limitPerMailbox`` notes from the check and as many size mismatches.
struct PendingMailboxNotes {
  /// A live record whose file is listed: its size, and its place among the check's notes.
  private struct Expected {
    var size: UInt32
    var position: Int
  }

  /// A note with its place in the order the check made its notes and comparisons.
  private struct Placed {
    var position: Int
    var note: MailboxNote
  }

  /// The check's own notes, the first ``MailboxNote/limitPerMailbox``.
  private var made: [Placed] = []
  /// The check's notes past the limit, per kind: with a full list before them they are dropped
  /// whatever the sizes add.
  private var madeDropped: [MailboxNote.Kind: Int] = [:]
  /// Sizes still to compare, by UID.
  private var expected: [UInt32: Expected] = [:]
  /// The earliest ``MailboxNote/limitPerMailbox`` size mismatches in the check's order.
  private var mismatches: [Placed] = []
  /// Size mismatches past those.
  private var mismatchesDropped = 0
  /// The place of the next note or comparison.
  private var nextPosition = 0

  /// Adds a note the check made.
  mutating func add(_ note: MailboxNote) {
    let position = take()
    if made.count < MailboxNote.limitPerMailbox {
      made.append(Placed(position: position, note: note))
    } else {
      madeDropped[note.kind, default: 0] += 1
    }
  }

  /// Makes room for `count` expected sizes at once (the listed message files).
  mutating func reserveExpected(_ count: Int) { expected.reserveCapacity(count) }

  /// Records that the file of live message `uid`, which is listed, should hold `size` bytes.
  mutating func expect(uid: UInt32, size: UInt32) {
    expected[uid] = Expected(size: size, position: take())
  }

  /// Compares the entry `name` the walker has just examined (`info`, from its `fstatat`) if it
  /// is the file `<uid>.` of a live message whose size is expected.
  mutating func examined<Name: BidirectionalCollection<UInt8>>(name: Name, info: stat) {
    guard !expected.isEmpty, let uid = MailboxContentCheck.messageUID(name) else { return }
    // `<uid>.` exactly as Cyrus names it: "05." is not the file of UID 5.
    guard name.count == 2 || name.first != 0x30 else { return }
    guard let wanted = expected.removeValue(forKey: uid) else { return }
    compare(uid: uid, wanted, info)
  }

  /// The notes in the order the check made them, within the per-mailbox limit. Sizes not
  /// compared yet are compared first, with an `fstatat` of `<uid>.` in the directory open at
  /// `fd`; an `fd` of -1 (no message directory) is never used, as nothing is listed there.
  mutating func notes(messageDirectoryFD fd: Int32) -> [MailboxNote] {
    let left = expected.sorted { $0.value.position < $1.value.position }
    expected = [:]
    for (uid, wanted) in left {
      var info = stat()
      let status = Array("\(uid).".utf8).withCString {
        fstatat(fd, $0, &info, AT_SYMLINK_NOFOLLOW)
      }
      if status == 0 { compare(uid: uid, wanted, info) }
    }
    mismatches.sort { $0.position < $1.position }
    var collector = NoteCollector()
    var next = mismatches.startIndex
    for placed in made {
      while next < mismatches.endIndex, mismatches[next].position < placed.position {
        collector.add(mismatches[next].note)
        next += 1
      }
      collector.add(placed.note)
    }
    for placed in mismatches[next...] { collector.add(placed.note) }
    collector.drop(.sizeMismatch, count: mismatchesDropped)
    for (kind, count) in madeDropped { collector.drop(kind, count: count) }
    made = []
    mismatches = []
    mismatchesDropped = 0
    madeDropped = [:]
    return collector.notes
  }

  /// Notes a mismatch if `info` is a regular file whose size is not the recorded one.
  private mutating func compare(uid: UInt32, _ wanted: Expected, _ info: stat) {
    guard (info.st_mode & S_IFMT) == S_IFREG, UInt64(info.st_size) != UInt64(wanted.size) else {
      return
    }
    let mismatch = Placed(
      position: wanted.position,
      note: MailboxNote(
        .sizeMismatch, uid: uid, detail: "index \(wanted.size) bytes, file \(info.st_size) bytes")
    )
    guard mismatches.count >= MailboxNote.limitPerMailbox else {
      mismatches.append(mismatch)
      return
    }
    // Full: keep the earliest; the latest of the list and the new one, one of them goes.
    mismatchesDropped += 1
    guard
      let latest = mismatches.indices.max(by: {
        mismatches[$0].position < mismatches[$1].position
      }), mismatches[latest].position > mismatch.position
    else { return }
    mismatches[latest] = mismatch
  }

  private mutating func take() -> Int {
    defer { nextPosition += 1 }
    return nextPosition
  }
}
