#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Compares a primary's file with the failover's byte for byte when both are on this host, so
/// that neither is hashed when they are the same (the common case); one per reading thread.
///
/// Only files that are the same get no digest. Whenever the two differ, or either cannot be
/// read to the end as the file examined, each is hashed on its own (``ContentHasher``), so the
/// entries carry exactly what a walk hashing every file gives them: the two digests of a
/// content mismatch, or the problem of the side that has one.
final class ContentComparer {
  /// What the comparison of two files found.
  enum Outcome: Equatable {
    /// The same bytes, read to the end of both, neither file changed meanwhile.
    case same
    /// Each file read on its own: its SHA-256, or its problem. `differed` says whether the
    /// bytes differed (as opposed to a file that could not be compared).
    case separate(
      primary: Result<[UInt8], EntryProblem>, failover: Result<[UInt8], EntryProblem>,
      differed: Bool)
  }

  let hasher: ContentHasher
  private var primaryBuffer: [UInt8]
  private var failoverBuffer: [UInt8]

  init(bufferSize: Int, beforeOpening: (@Sendable ([UInt8]) -> Void)? = nil) {
    hasher = ContentHasher(bufferSize: bufferSize, beforeOpening: beforeOpening)
    primaryBuffer = [UInt8](repeating: 0, count: max(4096, bufferSize))
    failoverBuffer = primaryBuffer
  }

  /// Compares the two files; `primary` and `failover` are reads of the same size.
  func compare(_ primary: ContentRead, _ failover: ContentRead) -> Outcome {
    let same = sameBytes(primary, failover)
    if same == true { return .same }
    return .separate(
      primary: hasher.digest(
        name: primary.name, in: primary.directory.fd, expected: primary.expected),
      failover: hasher.digest(
        name: failover.name, in: failover.directory.fd, expected: failover.expected),
      differed: same == false)
  }

  /// `true` when both files hold the same bytes and are still the files examined, `false` when
  /// the bytes differ, `nil` when a file could not be opened or read to its end unchanged.
  private func sameBytes(_ primary: ContentRead, _ failover: ContentRead) -> Bool? {
    guard
      case .success(let left) = hasher.openExamined(
        name: primary.name, in: primary.directory.fd, expected: primary.expected)
    else { return nil }
    defer { close(left) }
    guard
      case .success(let right) = hasher.openExamined(
        name: failover.name, in: failover.directory.fd, expected: failover.expected)
    else { return nil }
    defer { close(right) }
    let size = Int64(clamping: primary.expected.size)
    guard primary.expected.size == failover.expected.size else { return false }
    var total: Int64 = 0
    while total < size {
      let want = Int(min(Int64(primaryBuffer.count), size - total))
      guard let count = ContentHasher.fill(&primaryBuffer, want, from: left, at: total),
        let other = ContentHasher.fill(&failoverBuffer, want, from: right, at: total)
      else { return nil }
      // Short: a file ended before its examined size (changed; each is hashed to say which).
      guard count == want, other == want else { return nil }
      let equal = primaryBuffer.withUnsafeBytes { a in
        failoverBuffer.withUnsafeBytes { b in
          guard let x = a.baseAddress, let y = b.baseAddress else { return false }
          return memcmp(x, y, count) == 0
        }
      }
      guard equal else { return false }
      total += Int64(count)
    }
    guard ContentHasher.changed(left, read: total, expected: primary.expected) == nil,
      ContentHasher.changed(right, read: total, expected: failover.expected) == nil
    else { return nil }
    return true
  }
}
