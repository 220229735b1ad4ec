extension IndexRecord {
  /// This record's share of the mailbox sync CRC, `crc_basic` (3.6.1 imap/mailbox.c:3223-3265;
  /// "the algorithm from version 2.4, it's locked in", = 2.4.17 imap/mailbox.c:1928
  /// `make_sync_crc`). The header's ``IndexHeader/syncCRC`` is the XOR over all records.
  ///
  /// 0 for an expunged record. Otherwise the CRC-32 of
  /// `"<uid> <modseq> <last_updated> (<flagcrc>) <internaldate> <guid hex>"`, where `flagcrc`
  /// XORs the CRC-32 of `\deleted`, `\answered`, `\flagged`, `\draft`, `\seen` for each system
  /// flag set and of the ASCII-lowercased name of each user flag set whose slot has a name in
  /// `userFlags` (the `cyrus.header` names by slot).
  public func syncCRC(userFlags names: [String?]) -> UInt32 {
    if isExpunged { return 0 }
    var flagCRC: UInt32 = 0
    let system: [(SystemFlags, String)] = [
      (.deleted, "\\deleted"), (.answered, "\\answered"), (.flagged, "\\flagged"),
      (.draft, "\\draft"), (.seen, "\\seen"),
    ]
    for (flag, name) in system where systemFlags.contains(flag) {
      flagCRC ^= CRC32.checksum(name.utf8)
    }
    for (slot, name) in names.enumerated() {
      guard let name, hasUserFlag(slot) else { continue }
      // C strings end at NUL; Cyrus's lcase touches only A–Z.
      let lowered = name.utf8.prefix { $0 != 0 }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
      flagCRC ^= CRC32.checksum(lowered)
    }
    let text =
      "\(uid) \(modseq) \(lastUpdated) (\(flagCRC)) \(internalDate) \(guid.hex)"
    return CRC32.checksum(text.utf8)
  }
}
