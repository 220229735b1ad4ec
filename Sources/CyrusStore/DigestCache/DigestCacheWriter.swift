#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes a new digest cache file beside the old one, record by record in canonical order, and
/// puts it in place (`rename`) only when the walk finished; until then, and when it did not,
/// the old file stays and the new one is removed. A write that fails (a full disk) stops the
/// writing; the run goes on without a new cache.
final class DigestCacheWriter {
  /// Why nothing more is written, once something failed.
  private(set) var failure: String?
  /// Records written.
  private(set) var records = 0
  private let directory: Int32
  private let name: String
  private let temporary: String
  private var fd: Int32
  private let nonce: [UInt8]
  /// The block being filled: its tag and a place for its length and record count (filled in
  /// when it is written), then its records' payload; written out in place with its check.
  private var block: [UInt8] = []
  private var blockRecords = 0
  private var blocks: UInt64 = 0
  /// The last record's area and path (owned by the writer alone, changed in place), kept
  /// across blocks for the order check; `nil` area before the first.
  private var previousArea: Int?
  private let previous = PathBuffer()

  /// Creates the temporary file in `directory` (a descriptor the caller keeps open) and writes
  /// the header; `failure` says why when it cannot.
  init(directory: Int32, name: String, identity: DigestCacheIdentity, run: UInt64) {
    self.directory = directory
    self.name = name
    temporary = ".\(name).\(getpid()).tmp"
    var random = SystemRandomNumberGenerator()
    var nonce = CacheByteWriter()
    for _ in 0..<(DigestCacheFormat.nonceBytes / 8) { nonce.fixed(random.next(), width: 8) }
    self.nonce = nonce.bytes
    fd = temporary.withCString {
      openat(directory, $0, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
    }
    block.reserveCapacity(
      DigestCacheFormat.blockHeaderBytes + DigestCacheFormat.blockTarget
        + DigestCacheFormat.recordFixedBytes + 4096 + DigestCacheFormat.checkBytes)
    startBlock()
    if fd < 0 {
      failure = "cannot create \(temporary): \(SystemFiles.errorText())"
      return
    }
    var header = CacheByteWriter()
    header.raw(DigestCacheFormat.magic)
    header.fixed(UInt64(DigestCacheFormat.version), width: 2)
    header.byte(DigestCacheFormat.sha256)
    header.raw(self.nonce)
    header.fixed(run, width: 8)
    let stored = identity.encoded
    header.fixed(UInt64(stored.count), width: 4)
    let fixed = header.bytes
    header.raw(stored)
    header.raw(DigestCacheFormat.check(nonce: self.nonce, index: nil, fixed[...], stored[...]))
    emit(header.bytes)
  }

  deinit { abandon() }

  /// Adds a record; one not after the last in canonical order is left out.
  func append(_ record: DigestCacheRecord) {
    append(
      area: record.area, path: record.path, key: record.key, lastRun: record.lastRun,
      digest: record.digest)
  }

  /// Adds a record from its fields; one not after the last in canonical order, or whose area
  /// index or path is too long for its field, is left out.
  func append(area: Int, path: [UInt8], key: FileKey, lastRun: UInt64, digest: [UInt8]) {
    guard failure == nil, DigestCacheFormat.fits(area: area, path: path) else { return }
    let shared = path.withUnsafeBytes { EntryPath.commonPrefix(previous.bytes, $0) }
    if let previousArea {
      // After the common prefix: the path is longer, or its next byte ranks higher (`/` lowest).
      let after =
        area > previousArea
        || (area == previousArea && shared < path.count
          && (shared == previous.count
            || EntryPath.rank(path[shared]) > EntryPath.rank(previous[shared])))
      guard after else { return }
    }
    DigestCacheFormat.encodeRecord(
      area: area, path: path, shared: blockRecords == 0 ? 0 : shared, key: key, lastRun: lastRun,
      digest: digest, into: &block)
    previousArea = area
    path.withUnsafeBytes {
      previous.replace(from: shared, with: UnsafeRawBufferPointer(rebasing: $0[shared...]))
    }
    blockRecords += 1
    records += 1
    if block.count - DigestCacheFormat.blockHeaderBytes >= DigestCacheFormat.blockTarget {
      flushBlock()
    }
  }

  /// Writes the trailer and renames the file over the old one.
  func commit(files: UInt64, bytes: UInt64) {
    flushBlock()
    guard failure == nil else { return abandon() }
    var fields = CacheByteWriter()
    fields.fixed(blocks, width: 8)
    fields.fixed(UInt64(records), width: 8)
    fields.fixed(files, width: 8)
    fields.fixed(bytes, width: 8)
    var trailer = CacheByteWriter()
    trailer.byte(DigestCacheFormat.endTag)
    trailer.raw(fields.bytes)
    trailer.raw(
      DigestCacheFormat.check(
        nonce: nonce, index: nil, [DigestCacheFormat.endTag], fields.bytes[...]))
    emit(trailer.bytes)
    guard failure == nil else { return abandon() }
    close(fd)
    fd = -1
    let renamed = temporary.withCString { from in
      name.withCString { to in renameat(directory, from, directory, to) }
    }
    if renamed != 0 {
      failure = "cannot rename \(temporary) to \(name): \(SystemFiles.errorText())"
      _ = temporary.withCString { unlinkat(directory, $0, 0) }
    }
  }

  /// Removes the temporary file (a walk that stopped, or a failed write).
  func abandon() {
    guard fd >= 0 else { return }
    close(fd)
    fd = -1
    _ = temporary.withCString { unlinkat(directory, $0, 0) }
  }

  /// Empties the block, leaving the room for its tag, length and record count.
  private func startBlock() {
    block.removeAll(keepingCapacity: true)
    block.append(DigestCacheFormat.blockTag)
    block.append(contentsOf: repeatElement(0, count: DigestCacheFormat.blockHeaderBytes - 1))
  }

  /// Fills in the block's length and record count, appends its check and writes it.
  private func flushBlock() {
    guard blockRecords > 0, failure == nil else { return }
    var head = CacheByteWriter()
    head.fixed(UInt64(block.count - DigestCacheFormat.blockHeaderBytes), width: 4)
    head.fixed(UInt64(blockRecords), width: 4)
    block.replaceSubrange(1..<DigestCacheFormat.blockHeaderBytes, with: head.bytes)
    // The check covers tag, counts and payload: the block's bytes so far, in order.
    block.append(contentsOf: DigestCacheFormat.check(nonce: nonce, index: blocks, block[...]))
    emit(block)
    blocks += 1
    blockRecords = 0
    startBlock()
  }

  private func emit(_ bytes: [UInt8]) {
    guard failure == nil, fd >= 0 else { return }
    var done = 0
    while done < bytes.count {
      let wrote = bytes.withUnsafeBytes { raw in
        write(fd, raw.baseAddress.map { $0 + done }, bytes.count - done)
      }
      if wrote < 0 && errno == EINTR { continue }
      guard wrote > 0 else {
        failure = "cannot write \(temporary): \(SystemFiles.errorText())"
        return
      }
      done += wrote
    }
  }
}
