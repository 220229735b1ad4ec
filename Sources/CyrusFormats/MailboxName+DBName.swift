/// Conversion between internal names and the 3.6 mailboxes.db name form ("dbname"), as
/// `mbname_from_intname` + `mbname_dbname` and `mbname_from_dbname` + `mbname_intname` do it
/// (3.6.1 imap/mboxname.c:531-575, 950-990; imap/mboxlist.c:5251-5331).
///
/// dbname = `[domain 0x1D][DELETED 0x1F][user 0x1F localpart][0x1F box]…[0x1F HEXTIME]`; box
/// names carry real dots where the internal name had `^`. Both directions drop empty
/// components (Cyrus splits with `strtok`), and a `DELETED.…` name whose last component is not
/// a non-zero hex number loses both the prefix and that component, exactly as in Cyrus.
extension MailboxName {
  static let hierarchySeparator: UInt8 = 0x1F  // mboxlist.c DB_HIERSEP_CHAR
  static let domainSeparator: UInt8 = 0x1D  // mboxlist.c DB_DOMAINSEP_CHAR

  /// The parts of an `mbname_t`.
  struct Parts {
    var domain: [UInt8]?
    var deletedTime: UInt64 = 0
    var localPart: [UInt8]?
    var boxes: [[UInt8]] = []

    init(domain: [UInt8]?, boxes: [[UInt8]], deletedPrefix: [UInt8], defaultDomain: [UInt8]?) {
      self.domain = (domain?.isEmpty ?? true) || domain == defaultDomain ? nil : domain
      self.boxes = boxes
      if self.boxes.count > 2, self.boxes[0] == deletedPrefix {
        self.boxes.removeFirst()
        deletedTime = Self.strtoulHex(self.boxes.removeLast())
      }
      if self.boxes.count > 1, self.boxes[0] == Array("user".utf8) {
        self.boxes.removeFirst()
        localPart = self.boxes.removeFirst()
      }
    }

    /// C `strtoul(s, NULL, 16)`: optional `0x`, hex digits up to the first other byte,
    /// saturating.
    static func strtoulHex(_ s: [UInt8]) -> UInt64 {
      var digits = s[...]
      if digits.count > 2, digits.first == UInt8(ascii: "0"),
        digits.dropFirst().first.map({ $0 | 0x20 == UInt8(ascii: "x") }) == true
      {
        digits = digits.dropFirst(2)
      }
      var n: UInt64 = 0
      for b in digits {
        guard let d = hexDigit(b) else { break }
        let (m, o) = n.multipliedReportingOverflow(by: 16)
        if o { return .max }
        n = m | UInt64(d)
      }
      return n
    }

    static func hexDigit(_ b: UInt8) -> UInt8? {
      switch b {
      case 0x30...0x39: b - 0x30
      case 0x41...0x46: b - 0x41 + 10
      case 0x61...0x66: b - 0x61 + 10
      default: nil
      }
    }

    /// `%X` of `(unsigned) is_deleted`.
    var deletedHex: [UInt8] {
      Array(String(UInt32(truncatingIfNeeded: deletedTime), radix: 16, uppercase: true).utf8)
    }

    func joined(domainSeparator: UInt8, separator: UInt8, prefix: [UInt8], mapDots: Bool) -> [UInt8]
    {
      func mapped(_ s: [UInt8]) -> [UInt8] {
        mapDots ? s.map { $0 == UInt8(ascii: ".") ? UInt8(ascii: "^") : $0 } : s
      }
      var out: [UInt8] = []
      if let domain { out += domain + [domainSeparator] }
      var parts: [[UInt8]] = []
      if deletedTime != 0 { parts.append(prefix) }
      if let localPart { parts.append(Array("user".utf8) + [separator] + mapped(localPart)) }
      parts += boxes.map(mapped)
      if deletedTime != 0 { parts.append(deletedHex) }
      for (i, p) in parts.enumerated() {
        if i > 0 { out.append(separator) }
        out += p
      }
      return out
    }
  }

  /// The 3.6 dbname (without the `N` key prefix).
  public func dbname(deletedPrefix: String = defaultDeletedPrefix, defaultDomain: String? = nil)
    -> [UInt8]
  {
    let bytes = Array(internalName.utf8)
    guard !bytes.isEmpty else { return [] }
    var domain: [UInt8]? = nil
    var rest = bytes[...]
    if let bang = bytes.firstIndex(of: UInt8(ascii: "!")) {
      domain = Array(bytes[..<bang])
      rest = bytes[(bang + 1)...]
    }
    let boxes = rest.split(separator: UInt8(ascii: ".")).map { c in
      c.map { $0 == UInt8(ascii: "^") ? UInt8(ascii: ".") : $0 }
    }
    let parts = Parts(
      domain: domain, boxes: boxes, deletedPrefix: Array(deletedPrefix.utf8),
      defaultDomain: defaultDomain.map { Array($0.utf8) })
    return parts.joined(
      domainSeparator: Self.domainSeparator, separator: Self.hierarchySeparator,
      prefix: Array(deletedPrefix.utf8), mapDots: false)
  }

  /// The internal name Cyrus 3.6 derives from a dbname (`mboxname_from_dbname`).
  public init(
    dbname bytes: [UInt8], deletedPrefix: String = defaultDeletedPrefix,
    defaultDomain: String? = nil
  ) {
    var domain: [UInt8]? = nil
    var rest = bytes[...]
    if let gs = bytes.firstIndex(of: Self.domainSeparator) {
      domain = Array(bytes[..<gs])
      rest = bytes[(gs + 1)...]
    }
    let parts = Parts(
      domain: domain, boxes: rest.split(separator: Self.hierarchySeparator).map(Array.init),
      deletedPrefix: Array(deletedPrefix.utf8), defaultDomain: defaultDomain.map { Array($0.utf8) })
    let name = parts.joined(
      domainSeparator: UInt8(ascii: "!"), separator: UInt8(ascii: "."),
      prefix: Array(deletedPrefix.utf8), mapDots: true)
    self.init(String(decoding: name, as: UTF8.self))
  }
}
