/// Prepares mailbox entries for printing in one dump format, so the result is what that
/// version's `ctl_mboxlist -u` can load: entries the format cannot express are left out, and
/// what cannot be carried over is reported as a ``Note`` (never silently).
///
/// What it translates and what not (§2.6–§2.8, §13 item 2 of the formats reference):
/// - **mbtype**: in the text formats it is the 2.2–3.4 number (``MailboxType/legacyNumber``);
///   in 3.6 JSON the letters (``MailboxType/cyrus36Letters``). Both come from the same
///   kind+flags, so `1` (REMOTE) becomes `er` in JSON. But 3.6 `ctl_mboxlist -u -L` reads the
///   number of a text dump as 3.6 bits without translation: only 0 means the same there, so any
///   other number is noted.
/// - **ACL rights letters** are copied as stored: 3.6 reads the 2.2 letters `c`/`d` as the
///   macros for `kx`/`te` (3.6.1 lib/acl.c), so `lrswipcda` and `lrswipkxtecda` grant the same.
/// - **uniqueid** (3.6 only, required by its JSON undump, which skips entries without one):
///   kept when the input has it, else asked from `uniqueID` (the mailbox's cyrus.header);
///   such entries get the `l` flag (name-based "legacy" directories).
/// - 3.6 tombstones (`d`), intermediates (`i`) and `#sieve` mailboxes (type `f`) have no
///   older form and are left out of the text formats; the `l` flag has no older form either.
/// - uidvalidity, modseqs, mtime and name history exist only in 3.6 JSON; the text formats
///   drop them (`ctl_mboxlist -u` before 3.6 never read them).
public struct MailboxListConversion: Sendable {
  /// Something the target format cannot carry, for one entry.
  public struct Note: Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
      /// The entry is left out (a 3.6 tombstone, intermediate or sieve mailbox in a text
      /// format; an entry without partition).
      case skipped
      /// The mbtype is not 0: it is lost (upstream 2.2 format) or means something else to
      /// 3.6's `-u -L`.
      case mailboxType
      /// The 3.6 `l` (legacy directories) flag has no form before 3.6.
      case legacyDirsDropped
      /// 3.6-only fields (uniqueid, uidvalidity, modseqs) are not in the text formats.
      case fieldsDropped
      /// The uniqueid was taken from the mailbox's cyrus.header and `l` was set.
      case uniqueIDFromHeader
    }
    public var kind: Kind
    public var name: MailboxName
    public var detail: String

    public init(_ kind: Kind, _ name: MailboxName, _ detail: String) {
      self.kind = kind
      self.name = name
      self.detail = detail
    }

    public var description: String { "\(name): \(detail)" }
  }

  /// Why a conversion cannot be done at all.
  public struct Refusal: Error, Sendable, CustomStringConvertible {
    public var description: String
  }

  public var format: MailboxListDump.Format

  public init(to format: MailboxListDump.Format) { self.format = format }

  /// The entries to print, in the order given, and the notes.
  /// - Parameter uniqueID: for ``MailboxListDump/Format/cyrus36``, the uniqueid of an entry
  ///   that has none (nil when no source of uniqueids was given).
  /// - Throws: ``Refusal`` when converting to 3.6 JSON and some entry has no uniqueid and no
  ///   source was given; whatever `uniqueID` throws.
  public func convert(
    _ entries: [MailboxEntry], uniqueID: ((MailboxEntry) throws -> String)? = nil
  ) throws -> (entries: [MailboxEntry], notes: [Note]) {
    var out: [MailboxEntry] = []
    var notes: [Note] = []
    if format == .cyrus36 {
      let lacking = entries.filter { $0.uniqueID == nil }
      if !lacking.isEmpty && uniqueID == nil {
        let names = lacking.prefix(3).map(\.name.internalName).joined(separator: ", ")
        throw Refusal(
          description: """
            \(lacking.count) of \(entries.count) entries have no uniqueid (\(names)\(lacking.count > 3 ? ", …" : "")): \
            Cyrus 3.6's `ctl_mboxlist -u` skips such entries. Give --uniqueids-from INSTANCE (the \
            instance whose spool holds their cyrus.header files), or convert --to cyrus23 and load \
            that with `ctl_mboxlist -u -L` (no uniqueid, no `l` flag, mbtype numbers untranslated)
            """)
      }
      for var e in entries {
        if e.partition == nil {
          notes.append(Note(.skipped, e.name, "no partition: 3.6's undump would skip it"))
          continue
        }
        if e.uniqueID == nil, let uniqueID {
          e.uniqueID = try uniqueID(e)
          e.type.flags.insert(.legacyDirs)
          e.type.raw = nil
          notes.append(
            Note(
              .uniqueIDFromHeader, e.name,
              "uniqueid from cyrus.header; mbtype \(e.type.cyrus36Letters)"))
        }
        out.append(e)
      }
      return (out, notes)
    }
    for e in entries {
      let fromLetters: Bool
      if case .letters? = e.type.raw { fromLetters = true } else { fromLetters = false }
      if fromLetters || e.uniqueID != nil {
        if e.type.flags.contains(.deleted) {
          notes.append(Note(.skipped, e.name, "3.6 tombstone (mbtype \(e.type.cyrus36Letters))"))
          continue
        }
        if e.type.flags.contains(.intermediate) {
          notes.append(Note(.skipped, e.name, "intermediate placeholder"))
          continue
        }
      }
      if e.type.kind == .sieve {
        notes.append(Note(.skipped, e.name, "3.6 sieve mailbox (type f)"))
        continue
      }
      if e.partition == nil && e.server == nil {
        notes.append(Note(.skipped, e.name, "no partition"))
        continue
      }
      if e.type.flags.contains(.legacyDirs) {
        notes.append(Note(.legacyDirsDropped, e.name, "flag l (legacy directories) dropped"))
      }
      if e.uniqueID != nil || e.uidValidity != 0 {
        notes.append(Note(.fieldsDropped, e.name, "uniqueid, uidvalidity, modseqs, mtime dropped"))
      }
      let n = e.type.legacyNumber
      if n != 0 {
        notes.append(
          Note(
            .mailboxType, e.name,
            format == .cyrus22
              ? "mbtype \(n) lost: the upstream 2.2 format has none (undump stores 0)"
              : "mbtype \(n): only 0 means the same to 3.6's `ctl_mboxlist -u -L`"))
      }
      out.append(e)
    }
    return (out, notes)
  }
}
