import CyrusFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Walks one ``StoreArea`` depth-first in canonical order and yields one ``ManifestEntry`` per
/// file system object, with the system calls (`openat`, `readdir`, `fstatat`, `readlinkat`).
///
/// Symlinks are never followed (they are reported as links with their target); directories are
/// opened with `O_NOFOLLOW`, so a link swapped in during the walk is not followed either. Files
/// that vanish or change while a live spool is walked become entries with a ``EntryProblem``.
///
/// A file's content is not read here: its ``WalkStep`` says what to read, so that the caller
/// (``InstanceWalker``) can read it on this thread or on a hashing thread, and finish the steps
/// in canonical order.
final class TreeWalker {
  let area: StoreArea
  let options: WalkOptions
  let naming: SpoolNaming
  let shared: WalkState
  /// In a metapartition layout, the same directories in the other area: for a metapartition,
  /// its partition (where the message files are); for a partition, its metapartition (where
  /// the cyrus.* files are).
  let companion: CompanionDirectory?
  private var stack: [DirectoryListing] = []
  private var pendingRoot: ManifestEntry?
  private var started = false

  init(
    area: StoreArea, options: WalkOptions, naming: SpoolNaming, shared: WalkState,
    companion: CompanionDirectory? = nil
  ) {
    self.area = area
    self.options = options
    self.naming = naming
    self.shared = shared
    self.companion = companion
  }

  /// The next entry of the area, or `nil` when it is done.
  func next() -> WalkStep? {
    if !started {
      started = true
      return openRoot().map { WalkStep(entry: $0) }
    }
    while let top = stack.last {
      let index = top.index
      guard index < top.names.count else {
        stack.removeLast()
        continue
      }
      top.index = index + 1
      let step = top.names.withName(index) { name, cName -> WalkStep? in
        let path = top.path.appending(name)
        if !area.excluded.isEmpty && area.excluded.contains(path) { return nil }
        if !options.includeRuntime && RuntimeFiles.isRuntime(path, role: area.role) { return nil }
        return examine(name: name, cName: cName, index: index, in: top, path: path)
      }
      if let step { return step }
    }
    return nil
  }

  /// Opens the area's root: never through a symlink (the root itself, or below the instance's
  /// root any directory on the way), which becomes the root entry's problem instead.
  private func openRoot() -> ManifestEntry? {
    let fd: Int32
    switch FileOpening.directory(path: area.path, root: area.root) {
    case .success(let opened):
      fd = opened
    case .failure(let failure):
      if area.optional && failure.code == ENOENT { return nil }
      var info = stat()
      if failure.code == ELOOP || failure.code == ENOTDIR, lstat(area.path, &info) == 0,
        (info.st_mode & S_IFMT) == S_IFLNK
      {
        var entry = describe(info, path: .root, mailbox: nil)
        entry.linkTarget = readLink(name: Array(area.path.utf8), in: AT_FDCWD)
        entry.problem = .unlistable(
          "\(area.path): the area root is a symbolic link; not followed")
        return entry
      }
      return ManifestEntry(
        area: area.name, path: .root, kind: failure.code == ENOTDIR ? .file : .unknown,
        problem: .unlistable(failure.text))
    }
    var info = stat()
    guard fstat(fd, &info) == 0 else {
      let text = SystemFiles.errorText()
      close(fd)
      return ManifestEntry(area: area.name, path: .root, kind: .unknown, problem: .unreadable(text))
    }
    var entry = describe(info, path: .root, mailbox: nil)
    push(fd: fd, path: .root, entry: &entry)
    return entry
  }

  private func examine(
    name: UnsafeBufferPointer<UInt8>, cName: UnsafePointer<CChar>, index: Int,
    in directory: DirectoryListing, path: EntryPath
  ) -> WalkStep {
    var info = stat()
    guard fstatat(directory.fd, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else {
      let code = errno
      return WalkStep(
        entry: ManifestEntry(
          area: area.name, path: path, kind: .unknown, mailbox: directory.mailbox,
          problem: code == ENOENT ? .vanished : .unreadable(SystemFiles.errorText(code))))
    }
    // This stat is also the index check's look at a message file's size.
    directory.pendingNotes?.examined(name: name, info: info)
    var entry = describe(info, path: path, mailbox: directory.mailbox)
    var notesFrom: DirectoryListing?
    var read: ContentRead?
    var guid: (uid: UInt32, expected: MessageGUID)?
    if entry.kind == .file, name.elementsEqual(MailboxFileNames.header) {
      entry.headerUniqueID = directory.headerUniqueID
      // The message files sort before it: every one has been examined.
      directory.finishIndexNotes()
      // Its notes (GUID mismatches included) once the message files before it are read.
      notesFrom = directory
    }
    if entry.kind == .file, name.elementsEqual(MailboxFileNames.index) {
      entry.indexSummary = directory.indexSummary
    }
    if entry.kind == .file, area.role == .config, let kind = StateSummary.kind(of: path) {
      entry.stateSummary = StateSummary.read(
        name: Array(name), in: directory.fd,
        path: area.path + "/" + String(decoding: path.bytes, as: UTF8.self), kind: kind,
        berkeley: options.berkeleyReader)
    }
    switch entry.kind {
    case .directory:
      let fd = openat(directory.fd, cName, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
      if fd < 0 {
        let code = errno
        entry.problem = code == ENOENT ? .vanished : .unlistable(SystemFiles.errorText(code))
      } else {
        push(fd: fd, path: path, entry: &entry)
      }
    case .symlink:
      entry.linkTarget = readLink(cName, in: directory.fd)
      if entry.linkTarget == nil {
        entry.problem = errno == ENOENT ? .vanished : .unreadable(SystemFiles.errorText())
      }
    case .file:
      if info.st_nlink > 1 {
        entry.hardLinkLeader = shared.leader(
          device: UInt64(info.st_dev), inode: UInt64(info.st_ino), location: entry.location)
      }
      // Only a message file whose index records a GUID skips SHA-256: before 2.4 (or 2.3
      // without guid_mode) there is none, and its content must still be compared.
      if options.level == .guid, area.role == .partition,
        let uid = MailboxContentCheck.messageUID(name), let expected = directory.guids[uid]
      {
        read = ContentRead(
          directory: directory, nameIndex: index, expected: FileKey(info), function: .messageGUID)
        guid = (uid, expected)
      } else if options.level != .meta {
        read = ContentRead(
          directory: directory, nameIndex: index, expected: FileKey(info), function: .sha256)
      }
    default:
      break
    }
    return WalkStep(entry: consume entry, read: read, guid: guid, notesFrom: notesFrom)
  }

  /// Lists a directory, labels it with its mailbox and pushes it on the stack (or records why
  /// it cannot be listed).
  private func push(fd: Int32, path: EntryPath, entry: inout ManifestEntry) {
    switch DirectoryNames.read(fd: fd) {
    case .failure(let problem):
      close(fd)
      entry.problem = problem
    case .success(let names):
      // A mailbox directory's cyrus.header is read once: for its name and for its flag names.
      let hasHeader = isSpool && names.contains(MailboxFileNames.header)
      let header = hasHeader ? MailboxHeaderLabel.read(directoryFD: fd) : nil
      let label = hasHeader ? mailboxName(directory: path, header: header) : nil
      let mailbox = label ?? entry.mailbox
      entry.mailbox = mailbox
      let listing = DirectoryListing(fd: fd, path: path, mailbox: mailbox, names: names)
      listing.headerUniqueID = header?.uniqueID
      listing.hasHeader = hasHeader
      checkMailbox(listing, header: header)
      stack.append(listing)
    }
  }

  /// Reads a mailbox directory's cyrus.index against its message files (notes and summary for
  /// its cyrus.* entries, GUIDs for `--level guid`): both in this directory in a partition;
  /// the index here and the messages in the partition's directory in a metapartition; and in a
  /// partition directory whose index is in the metapartition, only the GUIDs.
  private func checkMailbox(_ listing: DirectoryListing, header: MailboxHeader?) {
    let names = listing.names
    let hasIndex = names.contains(MailboxFileNames.index)
    let hasExpunge = names.contains(MailboxFileNames.expunge)
    let here =
      listing.path.bytes.isEmpty
      ? area.path : area.path + "/" + String(decoding: listing.path.bytes, as: UTF8.self)
    switch area.role {
    case .partition where hasIndex && listing.hasHeader:
      (listing.pendingNotes, listing.indexSummary, listing.guids) = MailboxContentCheck.notes(
        messageNames: names, indexDirectory: here, indexDirectoryFD: listing.fd,
        hasExpunge: hasExpunge,
        userFlags: header?.userFlags ?? [], keepGUIDs: options.level == .guid)
    case .partition where !hasIndex && options.level == .guid:
      if let companion, names.contains(where: { MailboxContentCheck.messageUID($0) != nil }) {
        listing.guids = companion.guids(of: listing.path)
      }
    case .metapartition where hasIndex:
      guard let companion else { return }
      (listing.notes, listing.indexSummary) = companion.checkMessages(
        of: listing.path, indexDirectory: here, indexDirectoryFD: listing.fd,
        hasExpunge: hasExpunge,
        userFlags: header?.userFlags ?? [])
    default:
      break
    }
  }

  /// Whether the area is a spool (where mailbox directories hold a cyrus.header).
  private var isSpool: Bool { [.partition, .metapartition, .archivePartition].contains(area.role) }

  /// The mailbox a directory holds: from its path in the name-based layout, from its header in
  /// the 3.6 uuid layout.
  private func mailboxName(directory path: EntryPath, header: MailboxHeader?) -> String? {
    let name = naming.uniqueID(of: path) != nil ? header?.name : naming.legacyName(of: path)
    return name ?? header?.uniqueID.map { "uniqueid \($0)" }
  }

  private func describe(_ info: stat, path: EntryPath, mailbox: String?) -> ManifestEntry {
    let kind = EntryKind(mode: info.st_mode)
    return ManifestEntry(
      area: area.name, path: path, kind: kind,
      size: kind == .directory ? 0 : UInt64(max(0, info.st_size)),
      mode: UInt32(info.st_mode & 0o7777), uid: info.st_uid, gid: info.st_gid,
      owner: shared.names.user(info.st_uid), group: shared.names.group(info.st_gid),
      mtime: Timestamp(
        seconds: Int64(info.st_mtim.tv_sec), nanoseconds: Int32(info.st_mtim.tv_nsec)),
      mailbox: mailbox)
  }

  private func readLink(name: [UInt8], in fd: Int32) -> [UInt8]? {
    name.withCString { readLink($0, in: fd) }
  }

  private func readLink(_ cName: UnsafePointer<CChar>, in fd: Int32) -> [UInt8]? {
    var buffer = [UInt8](repeating: 0, count: Int(PATH_MAX) + 1)
    let count = buffer.withUnsafeMutableBufferPointer { raw -> Int in
      guard let base = raw.baseAddress else { return -1 }
      return readlinkat(fd, cName, base, raw.count)
    }
    guard count >= 0 else { return nil }
    return Array(buffer[0..<count])
  }
}

extension Array where Element == UInt8 {
  /// Calls `body` with the bytes as a NUL-terminated C string (on the stack for a file name).
  func withCString<Result>(_ body: (UnsafePointer<CChar>) -> Result) -> Result {
    withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { chars in
      guard let base = chars.baseAddress else {
        preconditionFailure("a temporary allocation of at least one byte has storage")
      }
      withUnsafeBufferPointer { bytes in
        if let source = bytes.baseAddress {
          UnsafeMutableRawPointer(base).copyMemory(from: source, byteCount: bytes.count)
        }
      }
      base[count] = 0
      return body(base)
    }
  }
}
