/// What ``SameHostPairing`` still has to read for one entry, or for the two entries of one
/// path: done once by a reading thread (``ReadWorkers``).
final class PairedRead: ReadJob, @unchecked Sendable {
  /// The read to do.
  enum Work {
    /// One file's SHA-256 (a file only one side has, or two that cannot be compared).
    case hash(ContentRead)
    /// The primary's file against the failover's, of the same size.
    case compare(primary: ContentRead, failover: ContentRead)
  }

  /// The work, until a reading thread takes it: moved out there, as a read bound out of a
  /// stored enum is copied (and the copy destroyed) where one taken out is not. Spelled
  /// `Optional<Work>` for the reason ``ManifestEntry`` gives.
  // swift-format-ignore: UseShorthandTypeNames
  private var work: Optional<Work>
  var started = false
  var done = false
  /// What the work found; set once, before ``done``.
  private var hashed: Result<[UInt8], EntryProblem>?
  private var compared: ContentComparer.Outcome?

  init(_ work: Work) { self.work = work }

  /// Does the work with a reading thread's comparer; called once (``ReadWorkers`` gives a job
  /// to one thread).
  func perform(_ comparer: ContentComparer) {
    switch work.take() {
    case .hash(let read)?: hashed = comparer.hasher.hash(read)
    case .compare(let primary, let failover)?: compared = comparer.compare(primary, failover)
    case nil: preconditionFailure("a read is performed once")
    }
  }

  /// How the comparison ended, once done (`nil` for a hash).
  var outcome: ContentComparer.Outcome? { compared }

  /// What the entry of side `side` (0 the primary, 1 the failover) gets once done: its digest
  /// or problem, or `nil` when the two files are the same and neither was hashed.
  func result(forSide side: Int) -> Result<[UInt8], EntryProblem>? {
    switch compared {
    case .same?: return nil
    case .separate(let primary, let failover, _)?: return side == 0 ? primary : failover
    case nil: return hashed
    }
  }
}
