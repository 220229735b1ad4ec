/// The names of a mailbox directory's own files as bytes, made once: the walk compares every
/// name it examines with them.
enum MailboxFileNames {
  /// `cyrus.header` (imap/mailbox.h `FNAME_HEADER`).
  static let header: [UInt8] = Array("cyrus.header".utf8)
  /// `cyrus.index` (imap/mailbox.h `FNAME_INDEX`).
  static let index: [UInt8] = Array("cyrus.index".utf8)
  /// `cyrus.expunge` (Cyrus 2.3 imap/mailbox.h `FNAME_EXPUNGE_INDEX`).
  static let expunge: [UInt8] = Array("cyrus.expunge".utf8)
}
