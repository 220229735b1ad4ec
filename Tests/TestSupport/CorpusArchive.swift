import Foundation

/// Unpacks a corpus tarball the one way every test and the demo do: as root, keeping modes,
/// mtimes and hard links, with each file given the *local* uid and gid of the owner and group
/// names the tarball stores (`cyrus`, `mail`, `root`), whatever numbers they had on the machine
/// that packed it. A system user's uid depends on the order packages were installed, so numeric
/// owners (`--numeric-owner`) would hand Cyrus's files to another user here (issue 9).
public enum CorpusArchive {
  /// The shipped example pair (`corpora/example.tar.gz`).
  public static var example: String { TestPrograms.repository + "/corpora/example.tar.gz" }

  /// Extracts `archive` into the existing directory `directory`.
  public static func extract(_ archive: String = example, into directory: String) throws {
    try TestPrograms.must(["tar", "-xzpf", archive, "-C", directory, "--same-owner"])
  }
}
