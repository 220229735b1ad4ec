import ArgumentParser
import CyrusStore

/// `--hash-jobs`: how many threads read and hash file contents on each side; shared by
/// `verify` and `manifest`.
struct HashJobsOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Threads reading and hashing file contents on each side (default: one per core, 4 to 8, each host its own; 1: one file after the other).",
      valueName: "n"))
  var hashJobs: Int?

  func validate() throws {
    try Self.check(hashJobs)
  }

  /// Refuses a number outside 1...``WalkOptions/maxHashJobs``.
  static func check(_ value: Int?) throws {
    guard let value else { return }
    guard (1...WalkOptions.maxHashJobs).contains(value) else {
      throw ValidationError("--hash-jobs must be 1 to \(WalkOptions.maxHashJobs)")
    }
  }

  /// The threads for a side on this host.
  var local: Int { hashJobs ?? WalkOptions.defaultHashJobs }

  /// What the open request asks of an agent: 0 leaves it to the agent's host.
  var remote: Int { hashJobs ?? 0 }
}
