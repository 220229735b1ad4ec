extension MailboxListDump {
  /// A whole dump of `entries` in `format`: what that version's `ctl_mboxlist -d` prints (3.6:
  /// one JSON object, one mailbox a line; older: one line each).
  public static func document(_ entries: [MailboxEntry], format: Format) -> [UInt8] {
    if format == .cyrus36 { return json36Document(entries) }
    var out: [UInt8] = []
    for entry in entries { out += textLine(entry, format: format) }
    return out
  }
}
