import CyrusStore
import Foundation
import Verification

/// Tells lag from divergence (issue 12) when a failover is verified against a primary that
/// serves again: a difference is **lag** when the primary changed at that place after the copy
/// was made, **divergence** when it did not (the copy is wrong). Lag is information and never
/// fails a run; divergence keeps its severity.
///
/// With the manifest saved in the stopped window (`sync`) this is exact: the primary as it is
/// now is compared with that manifest first (metadata: cheap, and local), and every place it
/// changed is remembered — files and directories by area and path (a directory covers
/// everything below it), mailbox-list entries by mailbox, seen and subscription records by file
/// and mailbox or uniqueid. Then the failover is compared with the live primary, and each
/// finding classified by those places. Without a manifest the run is repeated after a settle
/// time, and what changed or vanished in between is lag.
public final class ChangeClassifier {
  /// Places the primary changed since the reference.
  public private(set) var changed: Set<String> = []
  /// Directories the primary gained or lost since the reference: everything below them too.
  private var changedDirectories: Set<String> = []
  /// Most places remembered; past it every difference counts as divergence (the conservative
  /// side: nothing is excused that was not seen to change). Unit: places.
  public static let maxPlaces = 1_000_000

  /// Learns where the primary changed since its window manifest (`manifest`): a metadata
  /// comparison of the manifest with the primary as it is now.
  public init(primary: SideSpecification, manifest: String, settings: VerifySettings) throws {
    var reference = settings
    reference.walk.level = try ManifestReader(path: manifest).header.level
    reference.rules = .sameVersion
    reference.policy = VerdictPolicy()
    let session = try VerifySession(
      primary: .manifest(path: manifest), failover: primary, settings: reference)
    let collector = Collector()
    _ = try session.run(sink: collector)
    for finding in collector.findings { learn(finding) }
  }

  /// The findings of a first run, for the `--settle` way (no manifest): a finding of the second
  /// run that the first showed the same way is stable, divergence; one that changed or is new
  /// is lag.
  private var stable: Set<FindingIdentity>?

  /// Classifies by a first run's `findings` (see ``stable``).
  public init(firstRun findings: [Finding]) {
    stable = Set(findings.map(FindingIdentity.init))
  }

  private func learn(_ finding: Finding) {
    guard changed.count < Self.maxPlaces else { return }
    for key in Self.keys(of: finding) { changed.insert(key) }
    if [.directoryMissing, .directoryExtra, .typeMismatch].contains(finding.code),
      let area = finding.area, let path = finding.path
    {
      changedDirectories.insert(Self.place(area, path))
    }
  }

  /// Classifies one finding of the failover against the live primary.
  public func classify(_ finding: inout Finding) {
    let lag =
      stable.map { !$0.contains(FindingIdentity(finding)) }
      ?? (Self.keys(of: finding).contains { changed.contains($0) }
        || insideChangedDirectory(finding))
    finding.change = lag ? .lag : .divergence
    if lag { finding.severity = .info }
  }

  private func insideChangedDirectory(_ finding: Finding) -> Bool {
    guard let area = finding.area, var path = finding.path, !changedDirectories.isEmpty else {
      return false
    }
    while !path.bytes.isEmpty {
      path = path.parent
      if changedDirectories.contains(Self.place(area, path)) { return true }
    }
    return false
  }

  /// The places a finding is about: a seen or subscription record by its file and its key;
  /// anything else by its file, and a mailbox-list finding by its mailbox too.
  static func keys(of finding: Finding) -> [String] {
    let place = finding.area.flatMap { area in finding.path.map { Self.place(area, $0) } }
    if [.seenMismatch, .subscriptionsMismatch, .subscriptionsUnknownMailbox].contains(finding.code)
    {
      return place.map { [$0 + "\u{0}" + (finding.uniqueID ?? finding.mailbox ?? "")] } ?? []
    }
    var keys = place.map { [$0] } ?? []
    if let mailbox = finding.mailbox, finding.code.rawValue.hasPrefix("mailbox") {
      keys.append("mailbox\u{0}" + mailbox)
    }
    return keys
  }

  static func place(_ area: AreaName, _ path: EntryPath) -> String {
    area.text + "\u{0}" + path.description
  }

  /// Collects findings (at most ``maxPlaces``).
  public final class Collector: FindingSink {
    /// What was collected.
    public private(set) var findings: [Finding] = []
    /// An empty collector.
    public init() {}
    public func emit(_ finding: Finding) {
      if findings.count < ChangeClassifier.maxPlaces { findings.append(finding) }
    }
  }
}

/// A finding as the settle comparison sees it: everything but its classification.
struct FindingIdentity: Hashable {
  let text: String
  init(_ finding: Finding) {
    var plain = finding
    plain.change = nil
    text = JSONReport.encode(plain)
  }
}
