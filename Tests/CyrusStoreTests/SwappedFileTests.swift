import Crypto
import Foundation
import Testing

@testable import CyrusStore

#if canImport(Glibc)
  import Glibc
#endif

/// A regular file examined, then swapped for a FIFO or a symlink before it is opened: every
/// function that opens what was examined (``ContentHasher``, ``SystemFiles``, ``FileBytes``)
/// refuses it at once, naming it, and never waits on the FIFO. Each call runs under a deadline
/// (``Deadline``), so that a regression that opens blocking fails the test instead of hanging it.
@Suite struct SwappedFileTests {
  /// What the examined file becomes before it is opened.
  enum Swap: String, CaseIterable, Sendable {
    /// A FIFO with no writer: a blocking open waits forever.
    case fifo
    /// A symlink to the very file, moved aside: same inode, size and mtime, so only
    /// `O_NOFOLLOW` tells them apart.
    case symlinkToTheSameFile
    /// A symlink to a FIFO with no writer.
    case symlinkToAFIFO

    /// Replaces the regular file `path`; returns the FIFO a blocked open would wait on.
    func replace(_ path: String) throws -> String? {
      func check(_ status: Int32) throws {
        guard status == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
      }
      switch self {
      case .fifo:
        try check(unlink(path))
        try check(mkfifo(path, 0o600))
        return path
      case .symlinkToTheSameFile:
        try check(rename(path, path + ".moved"))
        try check(symlink(path + ".moved", path))
        return nil
      case .symlinkToAFIFO:
        try check(mkfifo(path + ".fifo", 0o600))
        try check(unlink(path))
        try check(symlink(path + ".fifo", path))
        return path + ".fifo"
      }
    }

    /// The refusal of a function that follows no symlink.
    func refusal(_ path: String) -> String {
      self == .fifo
        ? "\(path): is a fifo, not a regular file; not read"
        : "\(path): is a symbolic link; not followed"
    }
  }

  /// The functions that open a file someone examined before.
  enum Opener: String, CaseIterable, Sendable {
    /// The walk's hashing, with the `fstatat` result of the walk.
    case contentHasher
    /// `SystemFiles.readFile` below a root (imapd.conf includes, quota files).
    case readFileBelowRoot
    /// `SystemFiles.readFile` relative to an open directory (seen and subscription files).
    case readFileInDirectory
    /// `FileBytes(path:)`, the cyrusdb readers' file.
    case fileBytes
    /// `SystemFiles.copyFile`, mailboxes.db read back through libdb.
    case copyFile
  }

  /// What a function gave.
  enum Outcome: Sendable, Equatable {
    case read([UInt8])
    case problem(EntryProblem)
    case refused(String)
  }

  static let content = Array("From: a\r\n\r\nthe message\r\n".utf8)

  /// The file `dir/1.` of a tree, its directory open, and the file as `lstat` saw it.
  struct Examined: Sendable {
    let root: String
    let path: String
    let directory: Int32
    let info: stat

    init(in tree: TemporaryTree) throws {
      root = tree.path
      path = try tree.write("dir/1.", SwappedFileTests.content)
      directory = open(tree.path + "/dir", O_RDONLY | O_DIRECTORY | O_CLOEXEC)
      guard directory >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
      var info = stat()
      guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
        throw POSIXError(.EIO)
      }
      self.info = info
    }
  }

  /// What `opener` gives for the examined file as it is now.
  static func outcome(_ opener: Opener, _ examined: Examined) -> Outcome {
    let path = examined.path
    do {
      switch opener {
      case .contentHasher:
        switch ContentHasher(bufferSize: 4096).digest(
          name: Array("1.".utf8), in: examined.directory, expected: FileKey(examined.info))
        {
        case .success(let digest): return .read(digest)
        case .failure(let problem): return .problem(problem)
        }
      case .readFileBelowRoot:
        return .read(try SystemFiles.readFile(path, limit: 1 << 20, root: examined.root))
      case .readFileInDirectory:
        return .read(
          try SystemFiles.readFile(
            Array("1.".utf8), in: examined.directory, path: path, limit: 1 << 20))
      case .fileBytes:
        let file = try FileBytes(path: path)
        return .read((try? file.bytes(at: 0, count: file.count)) ?? [])
      case .copyFile:
        let copy = try SystemFiles.copyFile(path, limit: 1 << 20, root: nil)
        return .read(Array((try? Data(contentsOf: URL(fileURLWithPath: copy.procPath))) ?? Data()))
      }
    } catch {
      return .refused("\(error)")
    }
  }

  @Test(arguments: Opener.allCases, Swap.allCases)
  func fileSwappedAfterItWasExaminedIsRefusedAtOnce(opener: Opener, swap: Swap) throws {
    let tree = try TemporaryTree()
    let examined = try Examined(in: tree)
    defer { close(examined.directory) }
    // Before the swap the function reads the file.
    let digest = Array(SHA256.hash(data: Self.content))
    #expect(
      Self.outcome(opener, examined) == .read(opener == .contentHasher ? digest : Self.content))
    let fifo = try swap.replace(examined.path)
    let outcome = Deadline.run(unblocking: fifo) { Self.outcome(opener, examined) }
    if opener == .contentHasher {
      #expect(outcome == .problem(.changedWhileReading))
    } else {
      #expect(outcome == .refused(swap.refusal(examined.path)))
    }
  }

  /// A file the operator named (imapd.conf) may be a symlink and is followed, to a regular file
  /// only: one swapped for a FIFO, or for a symlink to one, is refused without waiting.
  @Test(arguments: Swap.allCases)
  func namedConfigSwappedIsFollowedOnlyToARegularFile(swap: Swap) throws {
    let tree = try TemporaryTree()
    let examined = try Examined(in: tree)
    defer { close(examined.directory) }
    let path = examined.path
    #expect((try? SystemFiles.kind(of: path).get()) == .file)
    let fifo = try swap.replace(path)
    let outcome = Deadline.run(unblocking: fifo) { () -> Outcome in
      do {
        return .read(try SystemFiles.readFile(path, limit: 1 << 20, followLinks: true))
      } catch {
        return .refused("\(error)")
      }
    }
    if swap == .symlinkToTheSameFile {
      #expect(outcome == .read(Self.content))
    } else {
      #expect(outcome == .refused("\(path): is a fifo, not a regular file; not read"))
    }
  }

  /// The walk's own seam: the file is swapped on the hashing thread just before it is opened;
  /// its entry, named by its path, has the problem and no digest, and the walk goes on.
  @Test(arguments: Swap.allCases)
  func fileSwappedBeforeHashingInAWalk(swap: Swap) throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let message = try tree.write("var/spool/cyrus/mail/a/1.", Self.content)
    try tree.write("var/spool/cyrus/mail/a/2.", Self.content)
    let instance = try CyrusInstance.locate(tree.path)
    var options = WalkOptions(level: .full, hashJobs: 1)
    options.beforeHashing = { name in
      guard name == Array("1.".utf8) else { return }
      _ = try? swap.replace(message)
    }
    let fifo = swap == .symlinkToTheSameFile ? nil : message + (swap == .fifo ? "" : ".fifo")
    let walkOptions = options
    let entries =
      Deadline.run(unblocking: fifo) { () -> [ManifestEntry] in
        let walker = InstanceWalker(instance: instance, options: walkOptions)
        var entries: [ManifestEntry] = []
        while let entry = walker.next() { entries.append(entry) }
        return entries
      } ?? []
    // The hook swapped it.
    #expect(
      (try? SystemFiles.kind(of: message, followingLinks: false).get())
        == (swap == .fifo ? .fifo : .symlink))
    let first = try #require(entries.first { $0.path == EntryPath("a/1.") })
    #expect(first.kind == .file)
    #expect(first.problem == .changedWhileReading && first.digest == nil)
    let second = try #require(entries.first { $0.path == EntryPath("a/2.") })
    #expect(second.problem == nil && second.digest?.count == 32)
  }
}
