/// One side's entries from a ``SameHostPairing``, in canonical order.
public struct SameHostSide: ManifestSource {
  let pairing: SameHostPairing
  let index: Int

  public mutating func next() throws -> ManifestEntry? { try pairing.next(index) }
}
