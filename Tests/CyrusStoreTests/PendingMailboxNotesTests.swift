import CyrusFormats
import Foundation
import Testing

@testable import CyrusStore

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The index check's notes come out as if every size had been compared in the check itself, in
/// record order: a ``NoteCollector`` fed in that order is the reference.
@Suite struct PendingMailboxNotesTests {
  /// One step of an index check, in record order.
  enum Event {
    /// A note the check makes at once.
    case note(MailboxNote)
    /// A live message whose file is listed: recorded size, size on disk (nil: not a regular
    /// file).
    case size(uid: UInt32, recorded: UInt32, actual: Int?)
  }

  func fileStat(_ size: Int?) -> stat {
    var info = stat()
    info.st_mode = size == nil ? S_IFDIR | 0o700 : S_IFREG | 0o600
    info.st_size = off_t(size ?? 4096)
    return info
  }

  /// The notes the check made before its sizes were left to the walk.
  func reference(_ events: [Event]) -> [MailboxNote] {
    var collector = NoteCollector()
    for event in events {
      switch event {
      case .note(let note): collector.add(note)
      case .size(let uid, let recorded, let actual?) where UInt64(actual) != UInt64(recorded):
        collector.add(
          MailboxNote(
            .sizeMismatch, uid: uid, detail: "index \(recorded) bytes, file \(actual) bytes"))
      case .size: break
      }
    }
    return collector.notes
  }

  /// The check, then the walk examining the message files in name order (not UID order).
  func pending(_ events: [Event]) -> [MailboxNote] {
    var pending = PendingMailboxNotes()
    var files: [(name: [UInt8], info: stat)] = []
    for event in events {
      switch event {
      case .note(let note): pending.add(note)
      case .size(let uid, let recorded, let actual):
        pending.expect(uid: uid, size: recorded)
        files.append((Array("\(uid).".utf8), fileStat(actual)))
      }
    }
    for file in files.sorted(by: { $0.name.lexicographicallyPrecedes($1.name) }) {
      pending.examined(name: file.name, info: file.info)
    }
    return pending.notes(messageDirectoryFD: -1)
  }

  @Test func sizesFallInRecordOrderAmongTheOtherNotes() {
    let events: [Event] = [
      .note(MailboxNote(.fileMissing, uid: 1, detail: "index records 10 bytes")),
      .size(uid: 2, recorded: 100, actual: 100),
      .size(uid: 10, recorded: 100, actual: 99),
      .note(MailboxNote(.fileOrphan, uid: 11, detail: "its record is expunged and unlinked")),
      .size(uid: 12, recorded: 5, actual: nil),
      .size(uid: 20, recorded: 7, actual: 0),
      .note(MailboxNote(.indexDamaged, detail: "a problem")),
      .note(MailboxNote(.fileOrphan, uid: 30, detail: "no index record")),
    ]
    let notes = pending(events)
    #expect(notes == reference(events))
    #expect(notes.map(\.uid) == [1, 10, 11, 20, nil, 30])
  }

  /// More notes than the limit, of every kind, sizes among them: the same first 50 and the same
  /// counts of the rest.
  @Test(arguments: [0, 1, 2, 3])
  func pastTheLimitTheSameNotesAreKeptAndCounted(pattern: Int) {
    var events: [Event] = []
    for uid in UInt32(1)...160 {
      switch (Int(uid) + pattern) % 4 {
      case 0: events.append(.note(MailboxNote(.fileMissing, uid: uid, detail: "missing")))
      case 1: events.append(.size(uid: uid, recorded: uid, actual: Int(uid) + 1))
      case 2: events.append(.size(uid: uid, recorded: uid, actual: Int(uid)))
      default:
        events.append(
          pattern == 3 && uid > 100
            ? .size(uid: uid, recorded: uid, actual: 0)
            : .note(MailboxNote(.fileOrphan, uid: uid, detail: "orphan")))
      }
    }
    events.append(.note(MailboxNote(.indexDamaged, detail: "damaged")))
    #expect(pending(events) == reference(events))
  }

  /// Files the walk did not examine are looked at in the directory when the notes are put
  /// together; a name Cyrus would not give the file (`05.`) is not the file of UID 5.
  @Test func unexaminedFilesAreLookedAtInTheDirectory() throws {
    let tree = try TemporaryTree()
    try tree.write("5.", "12345")
    try tree.write("05.", "1")
    try tree.write("6.", "123")
    try tree.mkdir("7.")
    let fd = open(tree.path, O_RDONLY | O_DIRECTORY)
    try #require(fd >= 0)
    defer { close(fd) }
    var pending = PendingMailboxNotes()
    pending.expect(uid: 5, size: 4)
    pending.expect(uid: 6, size: 3)
    pending.expect(uid: 7, size: 1)
    pending.expect(uid: 8, size: 1)
    pending.examined(name: Array("05.".utf8), info: fileStat(1))
    pending.examined(name: Array("6.".utf8), info: fileStat(2))
    #expect(
      pending.notes(messageDirectoryFD: fd) == [
        MailboxNote(.sizeMismatch, uid: 5, detail: "index 4 bytes, file 5 bytes"),
        MailboxNote(.sizeMismatch, uid: 6, detail: "index 3 bytes, file 2 bytes"),
      ])
  }

  /// GUID mismatches follow the index check's notes within the same limit of 50.
  @Test(arguments: [(45, 3), (45, 8), (52, 2), (0, 60)])
  func guidMismatchesFillWhatTheLimitLeaves(indexNotes: Int, guidMismatches: Int) throws {
    let fd = open("/", O_RDONLY | O_DIRECTORY)
    try #require(fd >= 0)
    let directory = DirectoryListing(
      fd: fd, path: .root, mailbox: nil, names: [Array("1.".utf8)])
    directory.hasHeader = true
    var collector = NoteCollector()
    for uid in 0..<indexNotes {
      collector.add(MailboxNote(.fileMissing, uid: UInt32(uid), detail: "missing"))
    }
    directory.notes = collector.notes
    let guid = MessageGUID([UInt8](repeating: 1, count: MessageGUID.size))
    for uid in 0..<guidMismatches {
      var step = WalkStep(entry: ManifestEntry(area: "p", path: .root, kind: .file))
      step.read = ContentRead(
        directory: directory, nameIndex: 0, expected: FileKey(stat()), function: .messageGUID)
      step.guid = (UInt32(1000 + uid), guid)
      _ = step.takeFinished(with: .success([UInt8](repeating: 2, count: MessageGUID.size)))
    }
    var header = WalkStep(entry: ManifestEntry(area: "p", path: .root, kind: .file))
    header.notesFrom = directory
    let notes = header.takeFinished(with: nil).notes
    // The old rule: each GUID mismatch kept while fewer than 50 notes are kept.
    let kept = min(guidMismatches, max(0, 50 - directory.notes.count))
    #expect(notes.count == directory.notes.count + kept + (kept < guidMismatches ? 1 : 0))
    #expect(notes.filter { $0.kind == .guidMismatch && $0.uid != nil }.count == kept)
    if kept < guidMismatches {
      #expect(notes.last?.detail == "and \(guidMismatches - kept) more in this mailbox")
    }
  }
}
