import Foundation
import Testing

@testable import CyrusStore

/// Two sides on this host read together (`SameHostPairing`) give each side exactly the entries
/// a hashing walk of it gives, except that a pair of files with the same bytes carries no
/// digest on either side; files that differ, that one side lacks, or that change while they
/// are read keep their digests and problems, so the diff finds the same.
@Suite struct SameHostPairingTests {
  /// Each side's entries, taken as `ManifestDiff` takes them: the side with the smaller path
  /// first, both when the paths are equal.
  func drain(_ pairing: SameHostPairing) throws -> (
    primary: [ManifestEntry], failover: [ManifestEntry]
  ) {
    var (left, right) = pairing.sources()
    var primary: [ManifestEntry] = []
    var failover: [ManifestEntry] = []
    var p = try left.next()
    var f = try right.next()
    while p != nil || f != nil {
      let order: Int
      if let p, let f {
        order = ManifestEntry.canonicalCompare(p, f)
      } else {
        order = p == nil ? 1 : -1
      }
      if order <= 0, let entry = p {
        primary.append(entry)
        p = try left.next()
      }
      if order >= 0, let entry = f {
        failover.append(entry)
        f = try right.next()
      }
    }
    return (primary, failover)
  }

  /// One side's entries from a walk that hashes every file.
  func hashingWalk(_ tree: TemporaryTree) throws -> [ManifestEntry] {
    let walker = InstanceWalker(
      instance: try CyrusInstance.locate(tree.path), options: WalkOptions(level: .full, hashJobs: 1)
    )
    var entries: [ManifestEntry] = []
    while let entry = walker.next() { entries.append(entry) }
    return entries
  }

  func pairing(_ primary: TemporaryTree, _ failover: TemporaryTree, jobs: Int) throws
    -> SameHostPairing
  {
    SameHostPairing(
      primary: try CyrusInstance.locate(primary.path),
      failover: try CyrusInstance.locate(failover.path),
      options: WalkOptions(level: .full, hashJobs: jobs))
  }

  /// The same spool written into a tree: mailboxes of small messages, a few large ones.
  func spool(_ tree: TemporaryTree) throws {
    try tree.makeInstance()
    let spool = "var/spool/cyrus/mail/"
    for folder in 0..<40 {
      for uid in 1...30 {
        try tree.write(spool + "a/user/u\(folder)/\(uid).", "message \(folder) \(uid)\n")
      }
      try tree.write(spool + "a/user/u\(folder)/cyrus.header", "header \(folder)")
    }
    let large = String(repeating: "0123456789abcdef", count: 1 << 17)  // 2 MiB
    for uid in 1...3 { try tree.write(spool + "b/user/big/\(uid).", large + "\(uid)") }
    try tree.symlink(spool + "b/user/big/link", to: "/etc")
  }

  /// Checks each side's entries against its hashing walk: equal but for digests left out of
  /// a pair found the same, which must then have had equal digests.
  func expectHashingResults(
    _ paired: (primary: [ManifestEntry], failover: [ManifestEntry]),
    _ hashed: (primary: [ManifestEntry], failover: [ManifestEntry])
  ) {
    #expect(paired.primary.count == hashed.primary.count)
    #expect(paired.failover.count == hashed.failover.count)
    let hashedFailover = Dictionary(
      hashed.failover.map { ($0.location, $0) }, uniquingKeysWith: { first, _ in first })
    let pairedFailover = Dictionary(
      paired.failover.map { ($0.location, $0) }, uniquingKeysWith: { first, _ in first })
    for (mine, expected) in zip(paired.primary, hashed.primary) {
      guard mine.digest == nil, expected.digest != nil else {
        #expect(mine == expected, "\(mine.location)")
        continue
      }
      // Left out: the failover's file is there, with the same digest, and left out too.
      let theirs = hashedFailover[mine.location]
      #expect(theirs?.digest == expected.digest, "\(mine.location)")
      #expect(pairedFailover[mine.location]?.digest == nil, "\(mine.location)")
      var withDigest = mine
      withDigest.digest = expected.digest
      #expect(withDigest == expected, "\(mine.location)")
    }
    let pairedPrimary = Dictionary(
      paired.primary.map { ($0.location, $0) }, uniquingKeysWith: { first, _ in first })
    for (mine, expected) in zip(paired.failover, hashed.failover) {
      guard mine.digest == nil, expected.digest != nil else {
        #expect(mine == expected, "\(mine.location)")
        continue
      }
      #expect(pairedPrimary[mine.location]?.digest == nil, "\(mine.location)")
      var withDigest = mine
      withDigest.digest = expected.digest
      #expect(withDigest == expected, "\(mine.location)")
    }
  }

  @Test(arguments: [1, 4])
  func identicalSidesAreComparedAndNotHashed(jobs: Int) throws {
    let primary = try TemporaryTree()
    let failover = try TemporaryTree()
    try spool(primary)
    try spool(failover)
    let pairing = try pairing(primary, failover, jobs: jobs)
    let paired = try drain(pairing)
    expectHashingResults(paired, (try hashingWalk(primary), try hashingWalk(failover)))
    let files = paired.primary.filter { $0.kind == .file }.count
    #expect(files > SameHostPairing.lookaheadEntries)
    #expect(pairing.statistics.filesCompared == files)
    #expect(pairing.statistics.filesHashed == 0 && pairing.statistics.filesDiffering == 0)
    #expect(paired.primary.allSatisfy { $0.digest == nil })
    #expect(paired.failover.allSatisfy { $0.digest == nil })
  }

  @Test(arguments: [1, 4])
  func differencesKeepTheirDigests(jobs: Int) throws {
    let primary = try TemporaryTree()
    let failover = try TemporaryTree()
    try spool(primary)
    try spool(failover)
    let spool = "var/spool/cyrus/mail/"
    try failover.write(spool + "a/user/u3/7.", "massage 3 7\n")  // same size, other bytes
    try failover.write(spool + "a/user/u4/8.", "message 4 8, longer\n")
    try FileManager.default.removeItem(atPath: failover.path + "/" + spool + "a/user/u5/9.")
    try failover.write(spool + "a/user/u6/99.", "only on the failover\n")
    try FileManager.default.removeItem(atPath: failover.path + "/" + spool + "a/user/u7/10.")
    try failover.mkdir(spool + "a/user/u7/10.")  // a directory where the primary has a file
    try FileManager.default.removeItem(atPath: failover.path + "/" + spool + "a/user/u8")
    let large = String(repeating: "0123456789abcdef", count: 1 << 17)
    try failover.write(spool + "b/user/big/2.", large + "X")  // differs in the last byte
    let pairing = try pairing(primary, failover, jobs: jobs)
    let paired = try drain(pairing)
    expectHashingResults(paired, (try hashingWalk(primary), try hashingWalk(failover)))
    #expect(pairing.statistics.filesDiffering == 2)
    // The two that differed, the longer file on each side, the one-sided files.
    #expect(pairing.statistics.filesHashed == 2 * 2 + 2 + 1 + 1 + 1 + 31)
    let changed = try #require(paired.failover.first { $0.location.hasSuffix("u3/7.") })
    #expect(changed.digest?.count == 32)
  }

  /// A subtree only the primary has, larger than a queue may hold, before what both have: the
  /// failover's next entry is taken out of turn (and hashed) instead of queueing the subtree.
  @Test func oneSidedSubtreeIsNotQueuedWhole() throws {
    let primary = try TemporaryTree()
    let failover = try TemporaryTree()
    try spool(primary)
    try spool(failover)
    let extra = SameHostPairing.queueLimit + 2000
    for index in 0..<extra {
      try primary.write("var/spool/cyrus/mail/0/extra/\(index).", "\(index)")
    }
    let pairing = try pairing(primary, failover, jobs: 2)
    let paired = try drain(pairing)
    expectHashingResults(paired, (try hashingWalk(primary), try hashingWalk(failover)))
    #expect(pairing.statistics.takenOutOfTurn >= 1)
    #expect(
      pairing.statistics.peakQueuedEntries
        <= SameHostPairing.queueLimit + SameHostPairing.lookaheadEntries)
    #expect(pairing.statistics.filesHashed >= extra)
  }

  /// A failover file that grows while it is compared is changed while reading; its primary
  /// keeps the digest a hashing walk gives it.
  @Test(arguments: [1, 3])
  func fileChangingWhileComparedIsAProblem(jobs: Int) throws {
    let primary = try TemporaryTree()
    let failover = try TemporaryTree()
    try spool(primary)
    try spool(failover)
    let victim = failover.path + "/var/spool/cyrus/mail/a/user/u2/5."
    var options = WalkOptions(level: .full, hashJobs: jobs)
    options.beforeHashing = { name in
      guard String(decoding: name, as: UTF8.self) == "5.",
        let handle = FileHandle(forWritingAtPath: victim)
      else { return }
      handle.seekToEndOfFile()
      handle.write(Data(" and more".utf8))
      handle.closeFile()
    }
    let hashedPrimary = try hashingWalk(primary)
    let pairing = SameHostPairing(
      primary: try CyrusInstance.locate(primary.path),
      failover: try CyrusInstance.locate(failover.path), options: options)
    let paired = try drain(pairing)
    let mine = try #require(paired.failover.first { $0.location.hasSuffix("u2/5.") })
    #expect(mine.problem == .changedWhileReading && mine.digest == nil)
    let theirs = try #require(paired.primary.first { $0.location.hasSuffix("u2/5.") })
    let expected = try #require(hashedPrimary.first { $0.location.hasSuffix("u2/5.") })
    #expect(theirs.digest == expected.digest && theirs.digest != nil)
    // Every other u2 message was the same on both sides at the time it was compared.
    #expect(paired.failover.filter { $0.location.contains("u2/") && $0.digest != nil }.isEmpty)
  }

  /// Many directories of one message each, on both sides: what waits to be read holds its
  /// directory open, and a handed-out entry must not keep holding it (it did, until its queue
  /// was compacted: thousands of descriptors, "Too many open files" under a limit of 1024).
  @Test(arguments: [1, 4])
  func descriptorsStayBoundedInManySmallDirectories(jobs: Int) throws {
    let primary = try TemporaryTree()
    let failover = try TemporaryTree()
    for tree in [primary, failover] {
      try tree.makeInstance()
      for index in 0..<6000 { try tree.write("var/spool/cyrus/mail/d/\(index)/1.", "m\(index)\n") }
    }
    // In a scope of its own: a pairing left holding descriptors would count in the walk below.
    do {
      let peak = DescriptorPeak(under: [primary.path, failover.path])
      var options = WalkOptions(level: .full, hashJobs: jobs)
      options.beforeHashing = { _ in peak.sample() }
      let pairing = SameHostPairing(
        primary: try CyrusInstance.locate(primary.path),
        failover: try CyrusInstance.locate(failover.path), options: options)
      let paired = try drain(pairing)
      #expect(paired.primary.filter { $0.problem != nil }.isEmpty)
      #expect(paired.failover.filter { $0.problem != nil }.isEmpty)
      #expect(peak.samples > 100)
      #expect(peak.value > 0 && peak.value < 400, "descriptors into the trees: \(peak.value)")
    }
    // A hashing walk's window the same (its taken steps held them too).
    let walkPeak = DescriptorPeak(under: [primary.path])
    var walkOptions = WalkOptions(level: .full, hashJobs: 4)
    walkOptions.beforeHashing = { _ in walkPeak.sample() }
    let walker = InstanceWalker(
      instance: try CyrusInstance.locate(primary.path), options: walkOptions)
    var problems = 0
    while let entry = walker.next() {
      if entry.problem != nil { problems += 1 }
    }
    #expect(problems == 0)
    #expect(walkPeak.value > 0 && walkPeak.value < 150, "one walk: \(walkPeak.value)")
  }

  /// A file over the size where the hole check runs (1 GiB): its `lseek`s left the offset at
  /// the end, and the file read as empty was "changed while reading" on every run.
  @Test func fileOverOneGiBIsReadWhole() throws {
    let primary = try TemporaryTree()
    let failover = try TemporaryTree()
    try primary.makeInstance()
    try failover.makeInstance()
    let big = primary.path + "/var/spool/cyrus/mail/a/2."
    try primary.write("var/spool/cyrus/mail/a/1.", "x")
    try failover.write("var/spool/cyrus/mail/a/1.", "x")
    let fd = open(big, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    #expect(fd >= 0)
    let chunk = [UInt8](repeating: 0x61, count: 1 << 20)
    for _ in 0..<((1 << 10) + 1) {
      #expect(chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } == chunk.count)
    }
    close(fd)
    #expect(link(big, failover.path + "/var/spool/cyrus/mail/a/2.") == 0)
    let hashed = try #require(try hashingWalk(primary).first { $0.location.hasSuffix("a/2.") })
    #expect(hashed.problem == nil && hashed.digest?.count == 32)
    let pairing = try pairing(primary, failover, jobs: 2)
    let paired = try drain(pairing)
    for side in [paired.primary, paired.failover] {
      let entry = try #require(side.first { $0.location.hasSuffix("a/2.") })
      #expect(entry.problem == nil && entry.digest == nil)
    }
    #expect(pairing.statistics.bytesCompared == (1 << 30) + (1 << 20) + 1)
  }
}

/// The most descriptors of this process open on a path under given directories, sampled now
/// and then from the reading threads (other tests' descriptors are not counted).
final class DescriptorPeak: @unchecked Sendable {
  private let roots: [String]
  private let lock = NSLock()
  private var calls = 0
  private var peak = 0
  private var taken = 0

  init(under roots: [String]) { self.roots = roots }

  /// Counts, every 16th call.
  func sample() {
    lock.lock()
    calls += 1
    let due = calls % 16 == 1
    lock.unlock()
    guard due else { return }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    let count = names.filter { name in
      guard
        let target = try? FileManager.default.destinationOfSymbolicLink(
          atPath: "/proc/self/fd/" + name)
      else { return false }
      return roots.contains { target.hasPrefix($0) }
    }.count
    lock.lock()
    peak = max(peak, count)
    taken += 1
    lock.unlock()
  }

  /// The most counted at once.
  var value: Int {
    lock.lock()
    defer { lock.unlock() }
    return peak
  }

  /// Samples taken.
  var samples: Int {
    lock.lock()
    defer { lock.unlock() }
    return taken
  }
}
