import ArgumentParser
import CyrusFormats
import CyrusStore
import Verification

extension CyrusFailover.Mboxlist {
  /// `mboxlist dump`: mailboxes.db printed as a given version's `ctl_mboxlist -d`.
  struct Dump: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Print mailboxes.db as the `ctl_mboxlist -d` of a given Cyrus version.",
      discussion: """
        For data written by Cyrus 3.6, --format cyrus36 prints exactly what 3.6's \
        `ctl_mboxlist -d` prints. Reads Berkeley DB (2.2-2.5), skiplist, twoskip and flat files \
        without Cyrus's tools. Entries a format cannot hold (3.6 tombstones in a text format, …) \
        are left out with a note on standard error; see `mboxlist convert`.
        """)

    @OptionGroup var source: MailboxesDBOptions

    @Option(help: "The dump format (cyrus22, cyrus22-debian, cyrus23, cyrus30, cyrus36).")
    var format: DumpFormatOption

    @Flag(
      name: [.customShort("y"), .long], help: "Also print intermediate entries (ctl_mboxlist -y).")
    var intermediates = false

    func run() throws {
      let instance = try source.locate()
      let (path, list) = try source.read(instance)
      try UnsafeMailboxNameError.check(list.entries, path: path, place: UnsafeMailboxNameError.key)
      let entries = list.dumpOrder(intermediates: intermediates)
      let target = format.format
      let printed: [MailboxEntry]
      if target == .cyrus36 {
        printed = entries
      } else {
        let (kept, notes) = try MailboxListConversion(to: target).convert(entries)
        CyrusFailover.Mboxlist.report(notes)
        printed = kept
      }
      try OutputFile.write(MailboxListDump.document(printed, format: target), to: "-")
    }
  }

  /// Prints conversion notes to standard error, one line per distinct note with up to five
  /// names.
  static func report(_ notes: [MailboxListConversion.Note]) {
    var details: [String] = []
    var names: [String: [String]] = [:]
    for note in notes {
      if names[note.detail] == nil { details.append(note.detail) }
      names[note.detail, default: []].append(note.name.internalName)
    }
    for detail in details {
      let some = names[detail, default: []]
      var line =
        "cyrus-failover: note: \(some.count) entr\(some.count == 1 ? "y" : "ies"): \(detail)"
      line += " (\(some.prefix(5).joined(separator: ", "))\(some.count > 5 ? ", …" : ""))"
      Console.err(Terminal.safe(line) + "\n")
    }
  }
}
