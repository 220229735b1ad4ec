#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The names in one directory (without `.` and `..`), sorted bytewise: the canonical order.
///
/// The names lie one after the other in a single buffer, each followed by a NUL byte, so a name
/// goes to `fstatat` or `openat` as it is: listing a directory makes two arrays, not an array per
/// name and another per system call (the walk examines every name of a spool).
struct DirectoryNames {
  /// Where a name starts in ``storage``, and its length without the NUL. Unit: bytes.
  private struct Span {
    var start: Int
    var count: Int
  }

  /// The names in the order `readdir` gave them, each followed by a NUL byte.
  private let storage: [UInt8]
  /// The names in canonical order.
  private let spans: [Span]

  /// A directory without names.
  static let empty = DirectoryNames(storage: [], spans: [])

  private init(storage: [UInt8], spans: [Span]) {
    self.storage = storage
    self.spans = spans
  }

  /// The names given, sorted (tests; a walk reads them with ``read(fd:)``).
  init(_ names: [[UInt8]]) {
    var storage: [UInt8] = []
    var spans: [Span] = []
    for name in names {
      spans.append(Span(start: storage.count, count: name.count))
      storage += name + [0]
    }
    self.init(storage: storage, spans: Self.sorted(spans, in: storage))
  }

  /// How many names there are.
  var count: Int { spans.count }

  /// Calls `body` with name `index` (in canonical order) as bytes, and as a C string.
  func withName<Result>(
    _ index: Int, _ body: (UnsafeBufferPointer<UInt8>, UnsafePointer<CChar>) throws -> Result
  ) rethrows -> Result {
    let span = spans[index]
    return try storage.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { preconditionFailure("a listed name has storage") }
      let name = UnsafeBufferPointer(start: base + span.start, count: span.count)
      return try UnsafeRawPointer(base + span.start).withMemoryRebound(
        to: CChar.self, capacity: span.count + 1
      ) { try body(name, $0) }
    }
  }

  /// Calls `body` with each name, in canonical order.
  func forEach(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) rethrows {
    try storage.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return }
      for span in spans {
        try body(UnsafeBufferPointer(start: base + span.start, count: span.count))
      }
    }
  }

  /// Whether `name` is one of the names (a binary search).
  func contains(_ name: [UInt8]) -> Bool {
    storage.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return false }
      return name.withUnsafeBufferPointer { wanted in
        var low = 0
        var high = spans.count
        while low < high {
          let middle = low + (high - low) / 2
          let span = spans[middle]
          let order = Self.compare(
            UnsafeBufferPointer(start: base + span.start, count: span.count), wanted)
          if order == 0 { return true }
          if order < 0 { low = middle + 1 } else { high = middle }
        }
        return false
      }
    }
  }

  /// Whether a name satisfies `predicate`.
  func contains(where predicate: (UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
    var found = false
    forEach { if !found && predicate($0) { found = true } }
    return found
  }

  /// Bytewise order of two names: negative, zero or positive.
  static func compare(_ lhs: UnsafeBufferPointer<UInt8>, _ rhs: UnsafeBufferPointer<UInt8>) -> Int {
    let common = min(lhs.count, rhs.count)
    if common > 0, let left = lhs.baseAddress, let right = rhs.baseAddress {
      let order = memcmp(left, right, common)
      if order != 0 { return Int(order) }
    }
    return lhs.count - rhs.count
  }

  /// Reads the names of the directory open at `fd`, sorted bytewise.
  /// - Returns: the names, or the errno text.
  static func read(fd: Int32) -> Result<DirectoryNames, EntryProblem> {
    let copy = dup(fd)
    guard copy >= 0, let stream = fdopendir(copy) else {
      let text = SystemFiles.errorText()
      return .failure(.unlistable(text))
    }
    defer { closedir(stream) }
    var storage: [UInt8] = []
    var spans: [Span] = []
    while true {
      errno = 0
      guard let entry = readdir(stream) else {
        if errno != 0 { return .failure(.unlistable(SystemFiles.errorText())) }
        break
      }
      withUnsafeBytes(of: &entry.pointee.d_name) { raw in
        let bytes = raw.bindMemory(to: UInt8.self)
        let length = bytes.firstIndex(of: 0) ?? bytes.count
        // Not `.` and `..`.
        guard length > 2 || bytes[0] != 0x2E || (length == 2 && bytes[1] != 0x2E) else { return }
        spans.append(Span(start: storage.count, count: length))
        storage.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[0..<length]))
        storage.append(0)
      }
    }
    return .success(DirectoryNames(storage: storage, spans: sorted(spans, in: storage)))
  }

  /// `spans` in the bytewise order of the names they point to in `storage`.
  private static func sorted(_ spans: [Span], in storage: [UInt8]) -> [Span] {
    var spans = spans
    storage.withUnsafeBufferPointer { all in
      guard let base = all.baseAddress else { return }
      spans.sort {
        compare(
          UnsafeBufferPointer(start: base + $0.start, count: $0.count),
          UnsafeBufferPointer(start: base + $1.start, count: $1.count)) < 0
      }
    }
    return spans
  }
}

extension DirectoryNames: ExpressibleByArrayLiteral {
  /// The names written out (tests).
  init(arrayLiteral names: [UInt8]...) { self.init(names) }
}
