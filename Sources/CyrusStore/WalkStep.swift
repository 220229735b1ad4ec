import CyrusFormats

/// One entry as ``TreeWalker`` examined it, with what is still to be done before it goes out:
/// the read of its content (on the walking thread or on a hashing thread), and what that read,
/// and the entries before it, mean for it.
///
/// Steps are finished in canonical order on the walking thread, so a mailbox's GUID mismatches
/// (found reading its message files) are all known when its `cyrus.header` (which sorts after
/// them: digits before letters) takes the mailbox's notes, however the reads were spread.
///
/// Its optional properties are spelled `Optional<T>` for the reason ``ManifestEntry`` gives: a
/// `T?` property would make every initializer copy the step out whole.
struct WalkStep {
  /// The entry, without its digest yet.
  var entry: ManifestEntry
  /// The content to read, if any.
  // swift-format-ignore: UseShorthandTypeNames
  var read: Optional<ContentRead>
  /// `--level guid`, a message file: its UID and the GUID its cyrus.index records, which the
  /// read's SHA-1 must equal (the entry gets no digest).
  // swift-format-ignore: UseShorthandTypeNames
  var guid: Optional<(uid: UInt32, expected: MessageGUID)>
  /// A `cyrus.header`: the directory whose notes it carries.
  // swift-format-ignore: UseShorthandTypeNames
  var notesFrom: Optional<DirectoryListing>
  /// With a digest cache: the file's key, and the run that read (or reads) its content.
  // swift-format-ignore: UseShorthandTypeNames
  var cache: Optional<CacheState>

  /// What the digest cache records of a file once its entry is finished.
  struct CacheState {
    var key: FileKey
    var lastRun: UInt64
  }

  init(
    entry: ManifestEntry, read: ContentRead? = nil,
    guid: (uid: UInt32, expected: MessageGUID)? = nil, notesFrom: DirectoryListing? = nil
  ) {
    self.entry = entry
    self.read = read
    self.guid = guid
    self.notesFrom = notesFrom
    self.cache = nil
  }

  /// The entry, completed with the read's `result`, moved out of the step (which may stay
  /// where it is, in a hash window's slot; the rest of it is left to be dropped). Called once
  /// per step, in canonical order, on the walking thread (it adds to the directory's GUID
  /// notes).
  mutating func takeFinished(with result: Result<[UInt8], EntryProblem>?) -> ManifestEntry {
    complete(with: result)
    // Moved out: an entry completed in a local and returned from there is copied whole.
    return ManifestEntry.take(&entry)
  }

  /// Calls `body` with the step itself (through an optional, `step?.update { … }` works on
  /// the step where it is, where `if var` would copy it out).
  mutating func update<Outcome>(_ body: (inout WalkStep) -> Outcome) -> Outcome { body(&self) }

  /// Completes ``entry`` in place with the read's `result` and the directory's notes.
  private mutating func complete(with result: Result<[UInt8], EntryProblem>?) {
    switch result {
    case .success(let bytes)?:
      if let (uid, expected) = guid, let directory = read?.directory {
        if bytes != expected.bytes {
          let note = MailboxNote(
            .guidMismatch, uid: uid,
            detail: "index GUID \(expected.hex), file SHA-1 \(MessageGUID(bytes).hex)")
          if !directory.hasHeader {
            entry.notes.append(note)
          } else if directory.guidNotes.count < MailboxNote.limitPerMailbox {
            directory.guidNotes.append(note)
          } else {
            directory.droppedGUIDMismatches += 1
          }
        }
      } else {
        entry.digest = bytes
      }
    case .failure(let problem)?:
      entry.problem = problem
    case nil:
      break
    }
    if let directory = notesFrom {
      // The index check's notes, then the GUID mismatches while the limit leaves room.
      let room = max(0, MailboxNote.limitPerMailbox - directory.notes.count)
      let kept = directory.guidNotes.prefix(room)
      entry.notes = directory.notes + kept
      let dropped = directory.droppedGUIDMismatches + directory.guidNotes.count - kept.count
      if dropped > 0 {
        entry.notes.append(
          MailboxNote(.guidMismatch, detail: "and \(dropped) more in this mailbox"))
      }
    }
  }
}
