/// The version of this tool and the commit it was built from.
///
/// A plain `swift build` knows no commit and says so. `packaging/build-deb.sh` writes
/// `BuildCommit.generated.swift` beside this file (git-ignored) and compiles with
/// `-DCYRUS_FAILOVER_BUILD_COMMIT`, which makes ``commit`` the one it read from git; without the
/// flag that file compiles to nothing, so a stale copy never claims a commit.
enum BuildInfo {
  /// The release version; the agent protocol handshake and saved manifests carry it too.
  static let version = "0.1.0"

  #if CYRUS_FAILOVER_BUILD_COMMIT
    /// The commit, as `git rev-parse HEAD` (with `-dirty` when the work tree had changes).
    static let commit: String? = BuildCommit.hash
  #else
    /// No commit is known to a plain build.
    static let commit: String? = nil
  #endif

  /// What `--version` prints: `0.1.0 (commit 0123abcd…)` or `0.1.0 (unknown commit)`.
  static var versionLine: String {
    commit.map { "\(version) (commit \($0))" } ?? "\(version) (unknown commit)"
  }
}
