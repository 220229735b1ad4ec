import Testing

@testable import Failover

@Suite struct VersionFamilyTests {
  @Test(arguments: [
    ("3.6.1-4+deb12u5", VersionFamily.cyrus36plus), ("2.2.13-19", .cyrus22), ("2.4.17", .cyrus24),
    ("3.0.8-6", .cyrus25to30), ("3.2.6", .cyrus31to32), ("3.8.1", .cyrus36plus),
  ])
  func packageVersions(version: String, family: VersionFamily) {
    #expect(VersionFamily(version: version) == family)
  }

  @Test func theDataTellsTheFamily() {
    #expect(
      VersionFamily(layout: .keyspaces36, textValues: false, indexMinors: [17]) == .cyrus36plus)
    #expect(VersionFamily(layout: .byName, textValues: true, indexMinors: [6]) == .cyrus22)
    #expect(VersionFamily(layout: .byName, textValues: false, indexMinors: [13]) == .cyrus25to30)
    #expect(VersionFamily(layout: .byName, textValues: true, indexMinors: []) == .cyrus22)
    #expect(VersionFamily(layout: nil, textValues: nil, indexMinors: []) == nil)
    #expect(!VersionFamily.cyrus22.isReadable(by: .cyrus36plus))
    #expect(VersionFamily.cyrus36plus.dumpFormat == .cyrus36)
  }
}
