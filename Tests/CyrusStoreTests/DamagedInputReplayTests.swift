import Foundation
import Testing

/// Replays every input that ever crashed, hung or tripped a sanitizer in a fuzz target
/// (`corpora/damaged/TARGET/`, minimized by `fuzz/minimize.sh`) through the same body the
/// target runs (``FuzzBodies``): each must now end normally, forever after.
@Suite struct DamagedInputReplayTests {
  static let damaged = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("corpora/damaged")

  /// Targets whose body lives in the fuzz package only (Remote's decoders); their inputs are
  /// kept here too and replayed there.
  static let remoteTargets: Set = [
    "remote-entries", "remote-frames", "remote-manifest", "berkeley-stream",
  ]

  /// (target, file name) of every kept input of a CyrusFormats or CyrusStore target.
  static var inputs: [[String]] {
    let targets = (try? FileManager.default.contentsOfDirectory(atPath: damaged.path)) ?? []
    return targets.sorted().filter { FuzzBodies.all[$0] != nil }.flatMap { target in
      let files =
        (try? FileManager.default.contentsOfDirectory(
          atPath: damaged.appendingPathComponent(target).path)) ?? []
      return files.sorted().map { [target, $0] }
    }
  }

  @Test(arguments: inputs)
  func keptInputEndsNormally(_ input: [String]) throws {
    let data = try Data(
      contentsOf: Self.damaged.appendingPathComponent(input[0]).appendingPathComponent(input[1]))
    FuzzBodies.body(input[0])(Array(data))
  }

  @Test func everyFolderIsATarget() throws {
    let entries = try FileManager.default.contentsOfDirectory(atPath: Self.damaged.path)
    for name in entries where !name.hasSuffix(".md") {
      #expect(FuzzBodies.all[name] != nil || Self.remoteTargets.contains(name), "\(name)")
    }
  }
}
