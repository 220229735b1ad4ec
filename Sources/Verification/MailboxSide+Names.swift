import CyrusStore

extension MailboxSide {
  /// Builds a side before its walk (its directories are filled in once the walk is done), and
  /// the index of its mailbox names that the per-user state checks use during the walk.
  public static func loadWithNames(
    _ files: MailboxFiles, side: Side, areaNames: Set<String>,
    berkeley: any BerkeleyRecordReader = InProcessBerkeleyReader()
  ) -> (MailboxSide, MailboxNameIndex) {
    let loaded = load(
      files, side: side, areaNames: areaNames, directories: [], berkeley: berkeley)
    return (loaded, MailboxNameIndex(side: loaded, deletedPrefix: files.deletedPrefix))
  }
}
