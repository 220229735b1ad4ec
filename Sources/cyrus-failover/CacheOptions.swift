import ArgumentParser
import CyrusStore
import Verification

/// `--cache` and `--scrub`: the digest cache of `--level incremental` (and the one `--level
/// full` refreshes); shared by `verify` and `manifest`.
struct CacheOptions: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Digest cache directory, outside every Cyrus tree: --level incremental reads only files whose inode, size, mtime or ctime changed since; --level full refreshes it. Remote sides use their agent's own --cache, else this path on their host.",
      valueName: "dir"))
  var cache: String?

  @Option(
    help: ArgumentHelp(
      "With --level incremental: read every cached file again at least once every N runs, a share each run (bit rot). Default \(DigestCacheSettings.defaultScrubRuns).",
      valueName: "n"))
  var scrub: Int?

  /// Refuses a combination that would not do what it says.
  func check(level: LevelOption) throws {
    if let scrub, !(1...DigestCacheSettings.maxScrubRuns).contains(scrub) {
      throw ValidationError("--scrub must be 1 to \(DigestCacheSettings.maxScrubRuns)")
    }
    switch level {
    case .incremental where cache == nil:
      throw ValidationError(
        "--level incremental needs --cache DIR (a directory outside the Cyrus trees)")
    case .meta, .guid:
      if cache != nil {
        throw ValidationError("--cache applies to --level incremental and full")
      }
    default:
      break
    }
    if scrub != nil && level != .incremental {
      throw ValidationError("--scrub applies to --level incremental")
    }
  }

  /// The walk's cache settings at `level`.
  func settings(level: LevelOption) -> DigestCacheSettings? {
    guard let cache else { return nil }
    return DigestCacheSettings(
      directory: cache, trusted: level == .incremental,
      scrubRuns: scrub ?? DigestCacheSettings.defaultScrubRuns)
  }

  /// Prints what a side's digest cache did (`--stats`).
  static func printStatistics(_ role: String, _ statistics: DigestCacheStatistics) {
    var text =
      "cyrus-failover: \(role) digest cache: \(statistics.reused) files unchanged (not read), "
      + "\(statistics.readChanged) new or changed, \(statistics.readScrub) read for the scrub; "
      + "\(statistics.written) records written"
    if let ignored = statistics.ignored { text += "; previous cache not used: \(ignored)" }
    if let notWritten = statistics.notWritten { text += "; not written: \(notWritten)" }
    Console.err(Terminal.safe(text) + "\n")
  }
}
