/// The key orders cyrusdb backends keep, used to check that a file is sorted.
public enum CyrusKeyOrder: String, Hashable, Sendable, CaseIterable {
  /// Unsigned bytewise, shorter prefix first: twoskip's default
  /// (`bsearch_ncompare_raw`, 3.6.1 lib/bsearch.c:295).
  case raw
  /// Signed-char bytewise: skiplist's default (`compare_signed`,
  /// 3.6.1 lib/cyrusdb_skiplist.c:816; 2.2.13 cyrus/lib/cyrusdb_skiplist.c:790).
  case signedChar
  /// Cyrus's mailbox order: `.` sorts below every byte except NUL, TAB and LF
  /// (`bsearch_ncompare_mbox`, 3.6.1 lib/bsearch.c:199). Flat files always use it (2.2
  /// `bsearch_mem` has the same table); skiplist and twoskip use it when opened with
  /// `CYRUSDB_MBOXSORT` (2.x `improved_mboxlist_sort`).
  case mailbox

  /// Negative, zero or positive as `a` sorts before, with, or after `b`.
  public func compare(_ a: [UInt8], _ b: [UInt8]) -> Int {
    let n = min(a.count, b.count)
    for i in 0..<n where a[i] != b[i] {
      switch self {
      case .raw: return Int(a[i]) - Int(b[i])
      case .signedChar: return Int(Int8(bitPattern: a[i])) - Int(Int8(bitPattern: b[i]))
      case .mailbox:
        let d = Int(Self.mailboxWeight(a[i])) - Int(Self.mailboxWeight(b[i]))
        if d != 0 { return d }
      }
    }
    return a.count - b.count
  }

  /// `convert_to_compare` of lib/bsearch.c: TAB and LF weigh 1, `.` weighs 2, bytes 0x01–0x08
  /// move up to 3–10, NUL and everything from 0x0B up keep their value.
  static func mailboxWeight(_ byte: UInt8) -> UInt8 {
    switch byte {
    case 0x09, 0x0A: return 1
    case 0x2E: return 2
    case 0x01...0x08: return byte + 2
    default: return byte
    }
  }
}
