import ArgumentParser
import CyrusFormats
import CyrusStore
import Verification

extension CyrusFailover.Mboxlist {
  /// `mboxlist check`: is the dump (mailboxlist.txt) stale or incomplete?
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check a `ctl_mboxlist -d` dump against the mailboxes.db it was made from.",
      discussion: """
        With --instance, the dump is <configdirectory>/mailboxlist.txt unless --dump is given. \
        Prints one line per difference (dump.missing, dump.extra, dump.duplicate, dump.mismatch \
        FIELD with both values). Only the fields the dump's format holds are compared; ACLs as \
        sets of rights. Exit status: 0 the dump matches, 1 it differs, 2 error.
        """)

    @OptionGroup var source: MailboxesDBOptions

    @Option(
      help: ArgumentHelp(
        "The dump file (default with --instance: <configdirectory>/mailboxlist.txt).",
        valueName: "file"))
    var dump: String?

    @Option(help: "The dump's format: auto detects it from the first line.")
    var dumpFormat: String = "auto"

    func validate() throws {
      if source.db != nil && dump == nil { throw ValidationError("--db needs --dump") }
      guard dumpFormat == "auto" || DumpFormatOption(rawValue: dumpFormat) != nil else {
        throw ValidationError("--dump-format: '\(dumpFormat)' is not a dump format")
      }
    }

    func run() throws {
      let instance = try source.locate()
      let (dbPath, list) = try source.read(instance)
      let dumpPath = dump ?? instance?.mailboxListDumpPath ?? "-"
      let (found, dumped) = try MailboxListDumpFile.read(
        path: dumpPath, format: DumpFormatOption(rawValue: dumpFormat)?.format)
      try UnsafeMailboxNameError.check(
        list.entries, path: dbPath, place: UnsafeMailboxNameError.key)
      try UnsafeMailboxNameError.check(
        dumped, path: dumpPath, place: UnsafeMailboxNameError.line(format: found))
      let format = found ?? (list.layout == .keyspaces36 ? .cyrus36 : .cyrus22)
      let differences = MailboxListDumpCheck.compare(
        database: list.entries, dump: dumped, format: format)
      var out = ""
      for difference in differences { out += Terminal.safe(difference.description) + "\n" }
      let verdict = differences.isEmpty ? "MATCHES" : "DIFFERS"
      out +=
        "mboxlist check: \(verdict): \(dumpPath) (\(DumpFormatOption(format).rawValue), \(dumped.count) entries) "
      out +=
        "against \(dbPath) (\(list.kind.rawValue), \(list.entries.count) entries): \(differences.count) difference\(differences.count == 1 ? "" : "s")\n"
      Console.out(out)
      throw ExitCode((differences.isEmpty ? ExitStatus.consistent : .differences).rawValue)
    }
  }
}
