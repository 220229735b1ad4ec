/// What a ``SameHostPairing`` did: files compared byte for byte, and files hashed.
public struct SameHostStatistics: Sendable, Equatable {
  /// Pairs of files of the same size compared byte for byte (the same or not).
  public var filesCompared = 0
  /// Bytes of the pairs found the same (one side's).
  public var bytesCompared: UInt64 = 0
  /// Pairs whose bytes differed (each file then hashed).
  public var filesDiffering = 0
  /// Files hashed, on either side: one side's only, of different sizes, or of a pair that
  /// differed or could not be compared.
  public var filesHashed = 0
  /// Entries taken alone because the other side's queue was full.
  public var takenOutOfTurn = 0
  /// The most entries either side's queue held at once.
  public var peakQueuedEntries = 0
}
