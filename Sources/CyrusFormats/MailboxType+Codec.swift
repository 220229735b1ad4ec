extension MailboxType {
  /// Reads a 2.2 – 3.4 numeric mbtype. Bits no version defines make it an error.
  public init(legacyNumber n: Int) throws {
    var flags: Flags = []
    var known = 0
    for (bit, flag) in Flags.legacyBits where n & bit != 0 {
      flags.insert(flag)
      known |= bit
    }
    let kinds = Kind.allCases.filter { $0.legacyBit != 0 && n & $0.legacyBit != 0 }
    for k in kinds { known |= k.legacyBit }
    guard n >= 0, known == n, kinds.count <= 1 else {
      throw MailboxEntryError(.badMailboxType, detail: "numeric mbtype \(n)")
    }
    self.init(kind: kinds.first ?? .email, flags: flags, raw: .number(n))
  }

  /// Reads mbtype letters of 2.5 – 3.4 or 3.6 (order-free; at most one type letter; `f` may
  /// appear anywhere, as 3.6's parser treats it as a flag).
  public init(letters: String) throws {
    var kind: Kind? = nil
    var flags: Flags = []
    for ch in letters {
      if let match = Flags.letters.first(where: { $0.0 == ch }) {
        flags.insert(match.1)
      } else if ch == "f", kind == nil || kind == .email || kind == .sieve {
        kind = .sieve  // 3.6 ORs MBTYPE_SIEVE into whatever came first
      } else if let k = Kind.allCases.first(where: { $0.letter == ch }), kind == nil || kind == k {
        kind = k
      } else {
        throw MailboxEntryError(.badMailboxType, detail: "mbtype letters \"\(letters)\"")
      }
    }
    self.init(kind: kind ?? .email, flags: flags, raw: .letters(letters))
  }

  /// The 3.6 string: type letter, then flags in the order `d m r z i l`
  /// (`mboxlist_mbtype_to_string`, 3.6.1 imap/mboxlist.c:205).
  public var cyrus36Letters: String {
    var s = String(kind.letter)
    for (letter, flag) in Flags.letters where flags.contains(flag) { s.append(letter) }
    return s
  }

  /// The 2.2 – 3.4 numeric value: the number read if there was one, else computed (the 3.6-only
  /// `l` flag and the sieve type have no bit and are dropped).
  public var legacyNumber: Int {
    if case .number(let n) = raw { return n }
    var n = kind.legacyBit
    for (bit, flag) in Flags.legacyBits where flags.contains(flag) { n |= bit }
    return n
  }
}
