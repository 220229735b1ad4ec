import CyrusFormats
import Foundation
import TestSupport

/// The steps that make a stopped Cyrus 3.6 failover serve the data areas of a Cyrus 2.2
/// instance copied into it (docs/formats/upgrade-22-to-36.md), one method per step. Every
/// step is one program run as root with argv only; Cyrus's tools get the failover's own `-C`
/// and switch to the cyrus user themselves. Each method checks its step the way the recipe
/// says, and throws when the step failed.
struct Upgrade22To36 {
  /// Where Debian keeps Cyrus's tools.
  static let cyrusBin = "/usr/lib/cyrus/bin/"
  /// The caches 2.2 keeps in Berkeley DB (duplicate_db, tlscache_db, ptscache_db,
  /// statuscache_db), relative to the config directory. 3.6 cannot open them and recreates
  /// them; lmtpd refuses to run while deliver.db is one (exit 70).
  static let berkeleyCaches = [
    "deliver.db", "tls_sessions.db", "ptclient/ptscache.db", "statuscache.db",
  ]

  let failover: LiveCyrusInstance
  /// A directory outside every data area for what is kept aside: the copied mailboxes.db and
  /// Berkeley DB caches, and the converted dump (a later copy with `--delete` would remove
  /// them from the config directory, and verify would count them as extra files).
  let aside: String
  /// The suffix of everything kept aside, so that nothing is ever overwritten.
  let stamp: String

  init(failover: LiveCyrusInstance, aside: String) throws {
    self.failover = failover
    self.aside = aside
    let formatter = DateFormatter()
    formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
    formatter.timeZone = TimeZone(identifier: "UTC")
    stamp = "22-" + formatter.string(from: Date())
    try TestPrograms.must(["mkdir", "-p", aside])
  }

  var conf: String { failover.configFile }
  var config: String { failover.info.areas["config"] ?? "/nonexistent" }
  /// The converted dump, kept aside with the rest.
  var convertedDump: String { aside + "/mailboxlist.cyrus36-\(stamp).json" }

  /// Copies the primary's data areas over the failover's (`rsync -aH --delete` per role).
  func copy(from primary: LiveCyrusInstance) throws {
    try primary.copyDataAreas(to: failover)
  }

  /// `chown -R cyrus:mail AREA` per data area: a copy with numeric ids from a host where
  /// cyrus has another uid leaves files 3.6's cyrus cannot write (ctl_mboxlist: exit 75).
  func takeOwnership() throws {
    for (_, path) in failover.dataAreas {
      try TestPrograms.must(["chown", "-R", "cyrus:mail", path])
    }
  }

  /// `install -d -o cyrus -g mail -m 750 CONFIG/socket`: imapd binds its IDLE socket there,
  /// and where the directory is missing (a 2.2 host with its sockets under /var/run, copied
  /// with `--delete`), every message file 3.6 writes is mode 0666 (the umask is lost).
  func ensureSocketDirectory() throws {
    try TestPrograms.must([
      "install", "-d", "-o", "cyrus", "-g", "mail", "-m", "750", config + "/socket",
    ])
  }

  /// Moves the copied mailboxes.db and every Berkeley DB cache (unless `caches` is false) out
  /// of the config directory (`mv`, never `rm`); returns their paths relative to it, sorted.
  func keepAside(caches: Bool = true) throws -> [String] {
    var kept: [String] = []
    for relative in ["mailboxes.db"] + (caches ? Self.berkeleyCaches : []) {
      let path = config + "/" + relative
      guard let handle = FileHandle(forReadingAtPath: path) else { continue }
      let prefix = try handle.read(upToCount: CyrusDBKind.prefixLength) ?? Data()
      try handle.close()
      let kind = CyrusDBKind.detect(prefix)
      guard relative == "mailboxes.db" || kind == .berkeleyBtree || kind == .berkeleyHash else {
        continue
      }
      let target = aside + "/" + relative.replacingOccurrences(of: "/", with: "_") + "." + stamp
      try TestPrograms.must(["mv", "-n", path, target])
      // `mv -n` skips an existing target and still exits 0 (coreutils 9.1).
      guard !FileManager.default.fileExists(atPath: path) else {
        throw ProcessFailure(description: "\(path) not moved: \(target) exists")
      }
      kept.append(relative)
    }
    return kept.sorted()
  }

  /// `cyrus-failover mboxlist convert --to cyrus36 --uniqueids-from CONF`: the dump made on
  /// the primary, with each uniqueid from the copied cyrus.header; returns its entries.
  func convert() throws -> [MailboxEntry] {
    try TestPrograms.must([
      TestPrograms.executable, "mboxlist", "convert", "--to", "cyrus36", "--uniqueids-from", conf,
      config + "/mailboxlist.txt", convertedDump,
    ])
    return try Self.parse(convertedDump)
  }

  /// `ctl_mboxlist -C CONF -u < DUMP`. It exits 0 even when it skips entries, so its
  /// standard error is returned: any line there is a failure (the converted dump has every
  /// field, so not even a warning is expected).
  func importDump(_ dump: String? = nil) throws -> String {
    try TestPrograms.must(
      [Self.cyrusBin + "ctl_mboxlist", "-C", conf, "-u"], stdin: dump ?? convertedDump
    ).stderr
  }

  /// mailboxes.db as 3.6 wrote it, read with `cyrus-failover mboxlist dump --format cyrus36`
  /// (not with 3.6's own tools: reading through Cyrus can write).
  func readBack() throws -> [MailboxEntry] {
    let result = try TestPrograms.must([
      TestPrograms.executable, "mboxlist", "dump", "--instance", conf, "--format", "cyrus36",
    ])
    return try MailboxListDump.parse(result.output).entries
  }

  /// `ctl_cyrusdb -C CONF -r`, which master's START also runs: recovery, and the global
  /// databases converted to the configured backends (and annotations.db rekeyed by uniqueid).
  func recover() throws {
    try TestPrograms.must([Self.cyrusBin + "ctl_cyrusdb", "-C", conf, "-r"])
  }

  /// `reconstruct -C CONF -V max`: every cyrus.index from minor 6 to 17, the owner's \Seen
  /// taken from the seen database into the index. It exits 0 even when it cannot open a
  /// mailbox, so its output is returned for the caller to check, line by line.
  func upgradeIndexes() throws -> [String] {
    let result = try TestPrograms.must([Self.cyrusBin + "reconstruct", "-C", conf, "-V", "max"])
    return result.stdout.split(separator: "\n").map(String.init)
  }

  /// `quota -C CONF -f`: the usage of every resource recounted (2.2 counted only STORAGE).
  func recomputeQuota() throws {
    try TestPrograms.must([Self.cyrusBin + "quota", "-C", conf, "-f"])
  }

  /// The whole recipe after the copy, each step checked (`socket: false` leaves out
  /// ``ensureSocketDirectory()``); returns the converted entries.
  func run(socket: Bool = true) throws -> [MailboxEntry] {
    try takeOwnership()
    if socket { try ensureSocketDirectory() }
    _ = try keepAside()
    let dump = try convert()
    let rejected = try importDump()
    guard rejected.isEmpty else { throw ProcessFailure(description: "import: \(rejected)") }
    let differences = Self.differences(dump: dump, readBack: try readBack())
    guard differences.isEmpty else {
      throw ProcessFailure(description: "read back: \(differences.joined(separator: "; "))")
    }
    try recover()
    _ = try upgradeIndexes()
    try recomputeQuota()
    return dump
  }

  /// A `cyrus36` dump file's entries.
  static func parse(_ path: String) throws -> [MailboxEntry] {
    let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
    return try MailboxListDump.parse(bytes, format: .cyrus36).entries
  }

  /// Where the read-back differs from the dump, entry by entry: missing and extra names, and
  /// per entry type, partition, ACL (as rights sets), uniqueid and uidvalidity (mtime is the
  /// time of the import and not compared). Empty when they agree.
  static func differences(dump: [MailboxEntry], readBack: [MailboxEntry]) -> [String] {
    let wanted = Dictionary(
      dump.map { ($0.name.internalName, $0) }, uniquingKeysWith: { a, _ in a })
    let found = Dictionary(
      readBack.map { ($0.name.internalName, $0) }, uniquingKeysWith: { a, _ in a })
    var lines: [String] = []
    for name in Set(wanted.keys).union(found.keys).sorted() {
      guard let w = wanted[name] else {
        lines.append("\(name): not in the dump")
        continue
      }
      guard let f = found[name] else {
        lines.append("\(name): not imported")
        continue
      }
      func check<T: Equatable>(_ field: String, _ a: T, _ b: T) {
        if a != b { lines.append("\(name): \(field) \(a) in the dump, \(b) imported") }
      }
      check("mbtype", w.type.cyrus36Letters, f.type.cyrus36Letters)
      check("partition", w.partition, f.partition)
      check("acl", w.acl, f.acl)
      check("uniqueid", w.uniqueID, f.uniqueID)
      check("uidvalidity", w.uidValidity, f.uidValidity)
    }
    return lines
  }
}
