/// The stable name of a ``StoreArea`` — `config`, `partition-NAME`, `metapartition-NAME`,
/// `archivepartition-NAME`, `sieve` — with its role read once from the name, so nothing else
/// re-derives it from a prefix. A name from elsewhere (a remote agent, a saved manifest) that
/// fits none of these keeps its text and has no role.
public struct AreaName: Hashable, Sendable, Comparable, CustomStringConvertible, Codable {
  /// The name as written in findings, manifests and the agent protocol.
  public let text: String
  /// What the area holds, when the name says.
  public let role: StoreArea.Role?
  /// The partition's name (`default`) for the three partition roles.
  public let partition: String?

  /// The config directory's area.
  public static let config = AreaName("config")
  /// The sieve directory's area.
  public static let sieve = AreaName("sieve")

  /// Reads a name.
  public init(_ text: String) {
    self.text = text
    let families: [(String, StoreArea.Role)] = [
      ("partition-", .partition), ("metapartition-", .metapartition),
      ("archivepartition-", .archivePartition),
    ]
    if text == "config" {
      (role, partition) = (.config, nil)
    } else if text == "sieve" {
      (role, partition) = (.sieve, nil)
    } else if let (prefix, role) = families.first(where: { text.hasPrefix($0.0) }),
      text.count > prefix.count
    {
      (self.role, partition) = (role, String(text.dropFirst(prefix.count)))
    } else {
      (role, partition) = (nil, nil)
    }
  }

  /// The name of the area with `role` for partition `name`.
  public init(_ role: StoreArea.Role, partition name: String) {
    switch role {
    case .config: self = .config
    case .sieve: self = .sieve
    case .partition: self.init("partition-" + name)
    case .metapartition: self.init("metapartition-" + name)
    case .archivePartition: self.init("archivepartition-" + name)
    }
  }

  /// Whether the area holds mailbox directories (a partition, metapartition or archive
  /// partition).
  public var holdsMailboxes: Bool {
    role == .partition || role == .metapartition || role == .archivePartition
  }

  /// Whether it holds message files (a partition or archive partition): their mtime is the
  /// message's internal date.
  public var holdsMessages: Bool { role == .partition || role == .archivePartition }

  public var description: String { text }

  public static func < (lhs: AreaName, rhs: AreaName) -> Bool { lhs.text < rhs.text }

  public init(from decoder: any Decoder) throws {
    self.init(try decoder.singleValueContainer().decode(String.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(text)
  }
}

extension AreaName: ExpressibleByStringLiteral {
  /// An area named in source (`"partition-default"`).
  public init(stringLiteral text: String) { self.init(text) }
}
