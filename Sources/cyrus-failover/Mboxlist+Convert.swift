import ArgumentParser
import CyrusFormats
import CyrusStore

extension CyrusFailover.Mboxlist {
  /// `mboxlist convert`: a dump from one version's format into another's.
  struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Translate a `ctl_mboxlist -d` dump into another Cyrus version's format.",
      discussion: """
        Typical use, 2.2 to 3.6: convert --from cyrus22 --to cyrus36 --uniqueids-from OLDROOT \
        mailboxlist.txt new.json, then `ctl_mboxlist -u < new.json` on 3.6. 3.6's JSON undump \
        skips entries without uniqueid, so --to cyrus36 needs --uniqueids-from (the instance \
        whose name-based spool holds each mailbox's cyrus.header); such entries get mbtype `el` \
        (legacy directories). Without uniqueids, --to cyrus23 gives a file for 3.6's \
        `ctl_mboxlist -u -L` (entries then have no uniqueid and no `l` flag). mbtype numbers \
        in text formats are not translated for 3.6 -L: only 0 is safe. ACL rights letters are \
        copied as stored (3.6 reads 2.2's c and d as kx and te). See docs/formats/mailboxes-db.md.
        """)

    @Option(help: "The input format: auto detects it from the first line.")
    var from: String = "auto"

    @Option(help: "The output format (cyrus22, cyrus22-debian, cyrus23, cyrus30, cyrus36).")
    var to: DumpFormatOption

    @Option(
      help: ArgumentHelp(
        "Take missing uniqueids from each mailbox's cyrus.header on this instance (imapd.conf or root directory).",
        valueName: "instance"))
    var uniqueidsFrom: String?

    @Option(
      help: ArgumentHelp(
        "Read paths of the --uniqueids-from instance under this directory.", valueName: "dir"))
    var uniqueidsRoot: String?

    @Argument(help: ArgumentHelp("The dump to read ('-' for standard input).", valueName: "in"))
    var input: String

    @Argument(
      help: ArgumentHelp("Where to write ('-' or absent: standard output).", valueName: "out"))
    var output: String = "-"

    func validate() throws {
      guard from == "auto" || DumpFormatOption(rawValue: from) != nil else {
        throw ValidationError(
          "--from: '\(from)' is not a dump format (auto, \(DumpFormatOption.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      if uniqueidsRoot != nil && uniqueidsFrom == nil {
        throw ValidationError("--uniqueids-root applies to --uniqueids-from")
      }
    }

    func run() throws {
      let (found, entries) = try MailboxListDumpFile.read(
        path: input, format: DumpFormatOption(rawValue: from)?.format)
      try UnsafeMailboxNameError.check(
        entries, path: input, place: UnsafeMailboxNameError.line(format: found))
      if let found {
        Console.err(
          "cyrus-failover: \(input): read as \(DumpFormatOption(found).rawValue), \(entries.count) entries\n"
        )
      }
      var lookup: ((MailboxEntry) throws -> String)? = nil
      if let uniqueidsFrom {
        let instance = try CyrusInstance.locate(uniqueidsFrom, root: uniqueidsRoot)
        lookup = { entry in
          guard let partition = entry.partition else {
            throw CyrusStoreError(
              .badOption, path: input, detail: "mailbox \(entry.name): no partition")
          }
          return try instance.legacyHeaderUniqueID(of: entry.name, partition: partition)
        }
      }
      let (kept, notes) = try MailboxListConversion(to: to.format).convert(
        entries, uniqueID: lookup)
      CyrusFailover.Mboxlist.report(notes)
      try OutputFile.write(MailboxListDump.document(kept, format: to.format), to: output)
    }
  }
}
