extension UInt64 {
  /// `self + other`, or `UInt64.max` when that does not fit: for sums of sizes that come from
  /// disk or from a peer (a sparse file may claim 2^63−1 bytes), which must never trap.
  public func addingSaturated(_ other: UInt64) -> UInt64 {
    let (sum, overflow) = addingReportingOverflow(other)
    return overflow ? .max : sum
  }
}
