#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a digest cache file front to back, one checked block at a time, so that memory does
/// not grow with the number of files: the walk asks for records in its own canonical order and
/// the reader only moves forward.
///
/// Nothing in the file is trusted before its check passes. A file that is not ours (owner,
/// permissions), of another version or instance, or damaged anywhere (a failed check, a record
/// out of order, a block cut short) yields no further record: ``damage`` says why, and the
/// files it would have covered are read instead.
final class DigestCacheReader {
  /// The run that wrote the file.
  let run: UInt64
  /// Totals the file's trailer records (files and bytes of that walk), when it checks.
  let totals: (files: UInt64, bytes: UInt64)?
  /// Why records stopped before the end, if they did.
  private(set) var damage: DigestCacheDamage?
  private let fd: Int32
  private let size: Int
  private let nonce: [UInt8]
  private let areaCount: Int
  private var offset: Int
  private var blockIndex: UInt64 = 0
  private var records = 0
  /// The current block's payload, the file offset it starts at, the position of the next
  /// record in it and how many records are left.
  private var payload: [UInt8] = []
  private var payloadEnd = 0
  private var payloadBase = 0
  private var position = 0
  private var blockLeft = 0
  private var finished = false
  /// Whether a record was decoded (the cursor's fields are those of the last one).
  private var started = false
  /// Whether the cursor is on a record: false before ``advance()``, at the end and after
  /// damage.
  private(set) var hasRecord = false
  /// The record under the cursor: its area index, key and last run (its path and digest are
  /// reached through ``compare(area:path:)`` and ``digest``).
  private(set) var area = 0
  private(set) var key = FileKey(
    device: 0, inode: 0, size: 0, modified: Timestamp(seconds: 0), changed: Timestamp(seconds: 0))
  private(set) var lastRun: UInt64 = 0
  /// The record's path, owned by the reader alone (never shared, so that decoding the next
  /// record changes it in place); kept across blocks for the order check.
  private let path = PathBuffer()
  private var digestStart = 0

  /// Opens `name` in the directory `directory`; throws why the file is not used at all.
  init(name: String, in directory: Int32, identity: DigestCacheIdentity) throws(DigestCacheDamage) {
    let fd = name.withCString {
      openat(directory, $0, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY)
    }
    guard fd >= 0 else {
      throw DigestCacheDamage(offset: 0, detail: "cannot open: \(SystemFiles.errorText())")
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw DigestCacheDamage(offset: 0, detail: "not a regular file")
    }
    guard info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else {
      close(fd)
      throw DigestCacheDamage(
        offset: 0, detail: "not owned by this user, or writable by others: not trusted")
    }
    self.fd = fd
    size = Int(info.st_size)
    do throws(DigestCacheDamage) {
      var fixed = try Self.read(fd: fd, at: 0, count: DigestCacheFormat.fixedHeaderBytes, "header")
      guard Array(try fixed.raw(8, "magic")) == DigestCacheFormat.magic else {
        throw fixed.damage("not a cyrus-failover digest cache")
      }
      let version = try fixed.fixed(width: 2, "version")
      guard version == DigestCacheFormat.version else {
        throw fixed.damage(
          "format version \(version), this build reads \(DigestCacheFormat.version)")
      }
      let function = try fixed.byte("digest function")
      guard function == DigestCacheFormat.sha256 else {
        throw fixed.damage("digest function \(function), this build uses SHA-256")
      }
      nonce = Array(try fixed.raw(DigestCacheFormat.nonceBytes, "nonce"))
      run = try fixed.fixed(width: 8, "run")
      let identityLength = Int(try fixed.fixed(width: 4, "identity length"))
      guard identityLength <= DigestCacheFormat.identityLimit else {
        throw fixed.damage("identity of \(identityLength) bytes")
      }
      var rest = try Self.read(
        fd: fd, at: fixed.bytes.count, count: identityLength + DigestCacheFormat.checkBytes,
        "identity")
      let stored = Array(try rest.raw(identityLength, "identity"))
      let check = Array(try rest.raw(DigestCacheFormat.checkBytes, "header check"))
      guard
        check == DigestCacheFormat.check(nonce: nonce, index: nil, fixed.bytes[...], stored[...])
      else {
        throw rest.damage("the header's check fails")
      }
      guard stored == identity.encoded else {
        throw DigestCacheDamage(
          offset: DigestCacheFormat.fixedHeaderBytes,
          detail: "made for another instance (imapd.conf, root or areas differ)")
      }
      areaCount = identity.areas.count
      offset = fixed.bytes.count + rest.bytes.count
      totals = Self.trailerTotals(fd: fd, size: size, nonce: nonce)
    } catch {
      close(fd)
      throw error
    }
  }

  deinit { close(fd) }

  /// Moves the cursor to the next record in canonical order; ``hasRecord`` is false at the end
  /// and at the first damage.
  func advance() {
    hasRecord = false
    guard damage == nil, !finished else { return }
    do throws(DigestCacheDamage) {
      while blockLeft == 0 {
        guard try nextBlock() else { return }
      }
      var position = self.position
      let firstInBlock = position == 0
      let end = payloadEnd
      let fields = try payload.withUnsafeBufferPointer { bytes throws(DigestCacheDamage) in
        try DigestCacheFormat.decodeRecord(
          UnsafeBufferPointer(rebasing: bytes[..<end]), at: &position, base: payloadBase,
          path: path,
          previousArea: started ? area : nil, firstInBlock: firstInBlock, areas: areaCount)
      }
      self.position = position
      blockLeft -= 1
      if blockLeft == 0 && position != payloadEnd {
        throw DigestCacheDamage(
          offset: payloadBase + position, detail: "bytes after the block's records")
      }
      area = fields.area
      key = fields.key
      lastRun = fields.lastRun
      digestStart = fields.digestStart
      started = true
      hasRecord = true
    } catch {
      damage = error
    }
  }

  /// The canonical order of `area`/`path` against the record under the cursor (which there
  /// must be): negative before it, 0 at it, positive after it.
  func compare(area: Int, path: [UInt8]) -> Int {
    if area != self.area { return area < self.area ? -1 : 1 }
    return path.withUnsafeBytes { EntryPath.compare($0, self.path.bytes) }
  }

  /// The digest of the record under the cursor (copied from a buffer: see
  /// ``EntryPath/appending(_:)`` for why not from a slice).
  var digest: [UInt8] {
    payload.withUnsafeBufferPointer { bytes in
      Array(
        UnsafeBufferPointer(
          rebasing: bytes[digestStart..<(digestStart + DigestCacheFormat.digestBytes)]))
    }
  }

  /// Advances, then returns the record under the cursor as a value (for tools and tests; the
  /// walk reads the cursor in place).
  func next() -> DigestCacheRecord? {
    advance()
    guard hasRecord else { return nil }
    return DigestCacheRecord(
      area: area, path: path.array, key: key, lastRun: lastRun, digest: digest)
  }

  /// Reads and checks the next block; `false` at a valid trailer.
  private func nextBlock() throws(DigestCacheDamage) -> Bool {
    var head = try Self.read(
      fd: fd, at: offset, count: 1, "block tag")
    let tag = try head.byte("block tag")
    if tag == DigestCacheFormat.endTag {
      try checkTrailer()
      finished = true
      return false
    }
    guard tag == DigestCacheFormat.blockTag else { throw head.damage("unknown part tag \(tag)") }
    var counts = try Self.read(fd: fd, at: offset + 1, count: 8, "block header")
    let length = Int(try counts.fixed(width: 4, "block length"))
    let count = Int(try counts.fixed(width: 4, "record count"))
    guard length <= DigestCacheFormat.blockLimit else {
      throw counts.damage("block of \(length) bytes")
    }
    let start = offset + DigestCacheFormat.blockHeaderBytes
    // Read into the reader's one block buffer: payload, then check.
    try Self.read(
      fd: fd, at: start, count: length + DigestCacheFormat.checkBytes, into: &payload, "block")
    let expected = DigestCacheFormat.check(
      nonce: nonce, index: blockIndex, [tag], counts.bytes[...], payload[..<length])
    guard payload[length...].elementsEqual(expected) else {
      throw DigestCacheDamage(offset: start + length, detail: "block \(blockIndex)'s check fails")
    }
    guard count > 0 else { throw counts.damage("a block of no records") }
    payloadEnd = length
    payloadBase = start
    position = 0
    blockLeft = count
    offset = start + length + DigestCacheFormat.checkBytes
    blockIndex += 1
    records += count
    return true
  }

  /// The trailer at `offset`: it must check, count the blocks and records read, and end the
  /// file.
  private func checkTrailer() throws(DigestCacheDamage) {
    var trailer = try Self.read(
      fd: fd, at: offset, count: DigestCacheFormat.trailerBytes, "trailer")
    let tag = try trailer.byte("trailer tag")
    let fields = Array(try trailer.raw(32, "trailer"))
    let check = Array(try trailer.raw(DigestCacheFormat.checkBytes, "trailer check"))
    guard check == DigestCacheFormat.check(nonce: nonce, index: nil, [tag], fields[...]) else {
      throw trailer.damage("the trailer's check fails")
    }
    var counts = CacheByteReader(fields, base: offset + 1)
    let blocks = try counts.fixed(width: 8, "block total")
    let total = try counts.fixed(width: 8, "record total")
    guard blocks == blockIndex, total == UInt64(records) else {
      throw counts.damage(
        "the trailer counts \(blocks) blocks, \(total) records; read \(blockIndex), \(records)")
    }
    guard offset + DigestCacheFormat.trailerBytes == size else {
      throw trailer.damage("bytes after the trailer")
    }
  }

  /// The totals of the trailer at the end of the file, if it checks (for progress estimates;
  /// the records are checked on their own as they are read).
  private static func trailerTotals(fd: Int32, size: Int, nonce: [UInt8]) -> (UInt64, UInt64)? {
    guard size >= DigestCacheFormat.trailerBytes,
      var trailer = try? read(
        fd: fd, at: size - DigestCacheFormat.trailerBytes, count: DigestCacheFormat.trailerBytes,
        "trailer"),
      (try? trailer.byte("tag")) == DigestCacheFormat.endTag,
      let fields = try? trailer.raw(32, "totals"),
      let check = try? trailer.raw(DigestCacheFormat.checkBytes, "check"),
      Array(check)
        == DigestCacheFormat.check(
          nonce: nonce, index: nil, [DigestCacheFormat.endTag], fields)
    else { return nil }
    var totals = CacheByteReader(Array(fields.suffix(16)), base: 0)
    guard let files = try? totals.fixed(width: 8, "files"),
      let bytes = try? totals.fixed(width: 8, "bytes")
    else { return nil }
    return (files, bytes)
  }

  /// Exactly `count` bytes at `offset`, as a reader whose errors name that offset.
  private static func read(fd: Int32, at offset: Int, count: Int, _ what: String)
    throws(DigestCacheDamage) -> CacheByteReader
  {
    var buffer: [UInt8] = []
    try read(fd: fd, at: offset, count: count, into: &buffer, what)
    return CacheByteReader(buffer, base: offset)
  }

  /// Exactly `count` bytes at `offset`, into `buffer` (its storage reused: this runs per block).
  private static func read(
    fd: Int32, at offset: Int, count: Int, into buffer: inout [UInt8], _ what: String
  ) throws(DigestCacheDamage) {
    buffer.removeAll(keepingCapacity: true)
    buffer.append(contentsOf: repeatElement(0, count: count))
    var done = 0
    while done < count {
      let got = buffer.withUnsafeMutableBytes { raw in
        pread(fd, raw.baseAddress.map { $0 + done }, count - done, off_t(offset + done))
      }
      if got < 0 && errno == EINTR { continue }
      guard got > 0 else {
        throw DigestCacheDamage(
          offset: offset + done,
          detail: got < 0 ? "\(what): \(SystemFiles.errorText())" : "\(what): cut short")
      }
      done += got
    }
  }
}
