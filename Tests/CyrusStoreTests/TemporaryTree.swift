import Foundation
import TestSupport

/// The store tests' temporary tree: TestSupport's directory, plus a minimal instance root.
typealias TemporaryTree = TemporaryDirectory

extension TemporaryDirectory {
  /// A minimal instance root: etc/imapd.conf naming config dir and one partition.
  func makeInstance(extraConfig: String = "") throws {
    try write(
      "etc/imapd.conf",
      "# test instance\nconfigdirectory: /var/lib/cyrus\npartition-default: /var/spool/cyrus/mail\n"
        + "hashimapspool: true\nsievedir: /var/spool/sieve\n" + extraConfig)
    try mkdir("var/lib/cyrus")
    try mkdir("var/spool/cyrus/mail")
  }
}
