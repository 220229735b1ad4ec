import CyrusStore
import Testing

@testable import Verification

/// A saved manifest or a peer may claim any size: the one-sided subtree's byte count saturates
/// instead of trapping.
@Suite struct ManifestDiffOverflowTests {
  @Test func subtreeOfAbsurdSizesIsCountedWithoutTrapping() throws {
    let findings = try diff(
      [
        directory("x"), file("x/1.", size: UInt64.max), file("x/2.", size: UInt64.max),
        file("x/3.", size: 7),
      ], [])
    #expect(summary(findings) == ["directory.missing partition-default:x"])
    #expect(findings.first?.bytesBelow == UInt64.max)
    #expect(
      findings.first.flatMap(FindingText.detail)
        == "3 entries below on the primary (at least \(UInt64.max) bytes in files) not compared one by one"
    )
  }
}
