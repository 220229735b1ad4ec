import CyrusFormats

extension MailboxList {
  /// The entries in the order `ctl_mboxlist -d` prints them: mailboxes.db key order (the 3.6
  /// dbname, `memcmp`; for older layouts the internal name), intermediates only when asked
  /// (`-y`).
  public func dumpOrder(intermediates: Bool) -> [MailboxEntry] {
    let kept = entries.filter { intermediates || !$0.type.flags.contains(.intermediate) }
    guard layout == .keyspaces36 else { return kept }
    return kept.sorted { a, b in
      (a.dbname ?? a.name.dbname()).lexicographicallyPrecedes(b.dbname ?? b.name.dbname())
    }
  }
}
