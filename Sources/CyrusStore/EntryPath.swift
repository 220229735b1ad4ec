/// A path relative to the root of a ``StoreArea``, as raw bytes with `/` separators.
///
/// File names on a Cyrus spool are bytes, not necessarily UTF-8, so paths are kept as bytes and
/// only escaped for display. The empty path is the area root itself.
///
/// The **canonical order** of the whole tool is defined here, once: paths compare component by
/// component, bytewise (`/` sorts below every other byte). It is exactly the order of a
/// depth-first, pre-order walk that visits the entries of each directory sorted bytewise, so a
/// directory comes right before everything inside it.
public struct EntryPath: Hashable, Sendable, Comparable, CustomStringConvertible {
  /// The bytes, `/`-separated, no leading or trailing `/`.
  public var bytes: [UInt8]

  /// The area root.
  public static let root = EntryPath(bytes: [])

  /// Wraps bytes.
  public init(bytes: [UInt8]) { self.bytes = bytes }

  /// Parses a display or UTF-8 string (tests, manifests).
  public init(_ string: String) { self.bytes = Array(string.utf8) }

  /// This path with one more component.
  public func appending(_ name: [UInt8]) -> EntryPath {
    name.withUnsafeBufferPointer { appending($0) }
  }

  /// This path with one more component, copied from `name`: one allocation, the new path's.
  ///
  /// The bytes are put together in a temporary buffer (on the stack when small) and copied
  /// into the array by `Array(_:)` of a buffer: `[UInt8](unsafeUninitializedCapacity:)` and
  /// `[UInt8](repeating:count:)` reach the standard library's unspecialized allocation, which
  /// looks up the array's generic metadata at run time: 350 instructions more a call, 2 % of a
  /// `--level meta` walk (callgrind, Swift 6.3).
  func appending(_ name: UnsafeBufferPointer<UInt8>) -> EntryPath {
    if bytes.isEmpty { return EntryPath(bytes: Array(name)) }
    let count = bytes.count + 1 + name.count
    return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
      guard let base = buffer.baseAddress else { return EntryPath(bytes: []) }
      bytes.withUnsafeBufferPointer { parent in
        if let source = parent.baseAddress { base.initialize(from: source, count: parent.count) }
      }
      base[bytes.count] = 0x2F
      if let source = name.baseAddress {
        (base + bytes.count + 1).initialize(from: source, count: name.count)
      }
      return EntryPath(bytes: Array(UnsafeBufferPointer(start: base, count: count)))
    }
  }

  /// The components.
  public var components: [ArraySlice<UInt8>] {
    bytes.isEmpty ? [] : bytes.split(separator: 0x2F, omittingEmptySubsequences: false)
  }

  /// The last component (the file name).
  public var lastComponent: ArraySlice<UInt8> {
    if let slash = bytes.lastIndex(of: 0x2F) { return bytes[(slash + 1)...] }
    return bytes[...]
  }

  /// Whether the last component is `name`, compared from the end in place (no slice: the
  /// diff asks this of every entry, and most differ in their last byte).
  public func lastComponentIs(_ name: [UInt8]) -> Bool {
    let count = bytes.count
    let length = name.count
    guard count >= length, count == length || bytes[count - length - 1] == 0x2F else {
      return false
    }
    var index = length
    while index > 0 {
      index -= 1
      if bytes[count - length + index] != name[index] { return false }
    }
    return true
  }

  /// The parent path; the root's parent is the root.
  public var parent: EntryPath {
    if let slash = bytes.lastIndex(of: 0x2F) { return EntryPath(bytes: Array(bytes[..<slash])) }
    return .root
  }

  /// Whether `self` lies strictly inside `directory`.
  public func isInside(_ directory: EntryPath) -> Bool {
    if directory.bytes.isEmpty { return !bytes.isEmpty }
    return bytes.count > directory.bytes.count && bytes[directory.bytes.count] == 0x2F
      && bytes.starts(with: directory.bytes)
  }

  /// Canonical order: bytewise, with `/` below every other byte.
  public static func < (lhs: EntryPath, rhs: EntryPath) -> Bool {
    compare(lhs.bytes, rhs.bytes) < 0
  }

  /// Three-way canonical comparison of two `/`-separated byte paths.
  public static func compare(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
    lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in compare(left, right) } }
  }

  /// ``compare(_:_:)`` of two paths' bytes wherever they are.
  static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
    // Skip the common prefix (long: siblings share their directory), then rank the first
    // differing bytes with `/` lowest.
    let index = commonPrefix(lhs, rhs)
    guard index < lhs.count, index < rhs.count else {
      return lhs.count == rhs.count ? 0 : (lhs.count < rhs.count ? -1 : 1)
    }
    return rank(lhs[index]) < rank(rhs[index]) ? -1 : 1
  }

  /// How many leading bytes two paths share.
  static func commonPrefix(_ lhs: [UInt8], _ rhs: [UInt8]) -> Int {
    lhs.withUnsafeBytes { left in rhs.withUnsafeBytes { right in commonPrefix(left, right) } }
  }

  /// How many leading bytes two byte strings share, compared eight at a time (paths run to
  /// tens of bytes, and every walked file's path is compared several times: with the other
  /// side's, the digest cache's record, the record written before it).
  static func commonPrefix(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Int {
    let count = min(left.count, right.count)
    guard count > 0, let lhs = left.baseAddress, let rhs = right.baseAddress else { return 0 }
    var index = 0
    while count - index >= 8 {
      let difference =
        UInt64(littleEndian: lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self))
        ^ UInt64(littleEndian: rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self))
      // Little-endian: the first differing byte holds the lowest set bit.
      if difference != 0 { return index + difference.trailingZeroBitCount / 8 }
      index += 8
    }
    while index < count, left[index] == right[index] { index += 1 }
    return index
  }

  /// A path byte's rank in canonical order: `/` below every other byte.
  static func rank(_ byte: UInt8) -> Int { byte == 0x2F ? 0 : Int(byte) + 1 }

  /// The path for humans and JSON: printable ASCII and valid UTF-8 as is, any other byte and
  /// control characters as `\xNN`, backslash as `\\`.
  public var description: String { Self.escape(bytes) }

  /// Escapes bytes for display (see ``description``).
  public static func escape<Bytes: Collection>(_ bytes: Bytes) -> String
  where Bytes.Element == UInt8 {
    var out = ""
    var utf8 = Array(bytes)[...]
    while let first = utf8.first {
      if first == 0x5C {
        out += "\\\\"
        utf8 = utf8.dropFirst()
      } else if first >= 0x20 && first < 0x7F {
        out.unicodeScalars.append(Unicode.Scalar(first))
        utf8 = utf8.dropFirst()
      } else if first >= 0x80, let (scalar, length) = decodeScalar(utf8), scalar.value >= 0xA0 {
        out.unicodeScalars.append(scalar)
        utf8 = utf8.dropFirst(length)
      } else {
        let hex = Array("0123456789abcdef")
        out += "\\x" + String(hex[Int(first >> 4)]) + String(hex[Int(first & 0xF)])
        utf8 = utf8.dropFirst()
      }
    }
    return out
  }

  private static func decodeScalar(_ bytes: ArraySlice<UInt8>) -> (Unicode.Scalar, Int)? {
    var iterator = bytes.prefix(4).makeIterator()
    var decoder = UTF8()
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar):
      return (scalar, UTF8.width(scalar))
    default:
      return nil
    }
  }
}
