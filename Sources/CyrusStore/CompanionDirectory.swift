import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The same mailbox directory in the other area of a metapartition layout: with
/// `metapartition-NAME` set (and `index` in `metapartition_files`), Cyrus keeps a mailbox's
/// cyrus.* files under the metapartition and its message files under `partition-NAME`, at the
/// same relative path (imap/mboxname.c `mboxname_metapath` / `mboxname_datapath`). The walker of
/// one area opens the other's directory to check the index against the message files.
struct CompanionDirectory {
  /// The other area's root on this host.
  let root: String
  /// The instance's root, if its paths are placed under one.
  var instanceRoot: String? = nil

  /// Opens `relative` below the root, one component at a time with `O_NOFOLLOW`, so a symlink
  /// anywhere on the way is not followed. The caller closes the descriptor.
  /// - Returns: the descriptor, or -1 and the errno of the first component that failed.
  func open(_ relative: EntryPath) -> (fd: Int32, error: Int32) {
    var fd: Int32
    switch FileOpening.directory(path: root, root: instanceRoot) {
    case .success(let opened): fd = opened
    case .failure(let failure): return (-1, failure.code)
    }
    for component in relative.components {
      let next = Array(component).withCString {
        openat(fd, $0, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      }
      let code = errno
      close(fd)
      guard next >= 0 else { return (-1, code) }
      fd = next
    }
    return (fd, 0)
  }

  /// The path of `relative` below the root, for reading a file by path.
  func path(_ relative: EntryPath) -> String {
    relative.bytes.isEmpty ? root : root + "/" + String(decoding: relative.bytes, as: UTF8.self)
  }

  /// The mailbox's message files: the metapartition walker's half of the check. Reads the names
  /// in the partition's directory and runs the index check of `indexDirectory` against them. A
  /// partition directory that does not exist means every live message is missing; one that
  /// cannot be opened is reported as such, not as missing messages.
  func checkMessages(
    of relative: EntryPath, indexDirectory: String, indexDirectoryFD: Int32, hasExpunge: Bool,
    userFlags: [String?]
  ) -> (notes: [MailboxNote], summary: IndexSummary?) {
    let (fd, code) = open(relative)
    var names = DirectoryNames.empty
    var problem: MailboxNote?
    if fd >= 0 {
      switch DirectoryNames.read(fd: fd) {
      case .success(let listed): names = listed
      case .failure(let listing):
        let text: String
        if case .unlistable(let reason) = listing { text = reason } else { text = "\(listing)" }
        problem = MailboxNote(
          .indexUnreadable, detail: "message directory \(path(relative)): \(text)")
      }
    } else if code != ENOENT {
      // ENOENT: the directory is gone, so every live message is missing. Anything else: the
      // messages could not be looked at, which is said instead of calling them missing.
      problem = MailboxNote(
        .indexUnreadable,
        detail: "message directory \(path(relative)): \(SystemFiles.errorText(code))")
    }
    defer { if fd >= 0 { close(fd) } }
    var (pending, summary, _) = MailboxContentCheck.notes(
      messageNames: names, indexDirectory: indexDirectory, indexDirectoryFD: indexDirectoryFD,
      hasExpunge: hasExpunge,
      userFlags: userFlags)
    // The message files are walked in the other area, later: their sizes are looked at here,
    // in `fd`. No names, no look into `fd`: it is used only for the files listed.
    let notes = pending.notes(messageDirectoryFD: fd)
    guard let problem else { return (notes, summary) }
    return ([problem] + notes.filter { $0.kind != .fileMissing }, summary)
  }

  /// The GUIDs the metapartition's index records, for `--level guid` in the partition walker
  /// (whose directory holds the message files but no index); empty when there is none.
  func guids(of relative: EntryPath) -> [UInt32: MessageGUID] {
    let (fd, _) = open(relative)
    guard fd >= 0 else { return [:] }
    defer { close(fd) }
    guard
      let reader = try? IndexReader(
        FileBytes(
          name: MailboxFileNames.index, in: fd, path: path(relative) + "/cyrus.index"))
    else {
      return [:]
    }
    var guids: [UInt32: MessageGUID] = [:]
    _ = try? reader.forEachRecord { record in
      if !record.isExpunged, !record.guid.isZero { guids[record.uid] = record.guid }
    }
    return guids
  }
}
