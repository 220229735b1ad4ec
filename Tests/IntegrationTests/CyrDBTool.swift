import Foundation

/// Real Cyrus's `cyr_dbtool` (Debian's cyrus-common), to change a state file of the example pair
/// the way Cyrus itself writes it. It runs with a scratch `configdirectory` of its own, so that
/// nothing but the named file changes in the tree being verified.
struct CyrDBTool {
  static let executable = "/usr/lib/cyrus/bin/cyr_dbtool"
  /// The scratch imapd.conf.
  let config: String

  /// Makes a scratch configuration inside the corpus's temporary directory.
  init(_ corpus: Corpus) throws {
    try self.init(scratchIn: corpus.directory)
  }

  /// Makes a scratch configuration inside `parent`, a test's own temporary directory.
  init(scratchIn parent: String) throws {
    let directory = parent + "/cyr_dbtool"
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    config = directory + "/imapd.conf"
    try Data("configdirectory: \(directory)\n".utf8).write(to: URL(fileURLWithPath: config))
  }

  /// `cyr_dbtool -C CONFIG FILE BACKEND ACTION [KEY [VALUE]]`; the file must be absolute.
  func run(_ file: String, _ backend: String, _ action: String, _ arguments: String...) throws {
    try Tool.must([Self.executable, "-C", config, file, backend, action] + arguments)
  }
}
