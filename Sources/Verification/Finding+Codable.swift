import CyrusStore

/// A finding in the JSON report (schema in docs/json-schema.md): every fact a member of its
/// own, left out when it does not apply, plus `detail`, the facts in words as the text report
/// shows them (kept for readers of schema version 1). Decoding reads the facts and ignores
/// `detail`, so a saved report gives back the findings it was written from.
extension Finding: Codable {
  enum CodingKeys: String, CodingKey {
    case code, severity, side, area, path, mailbox, primary, failover, detail, user, uid
    case uniqueID = "uniqueid"
    case identifier
    case quotaRoot = "quota_root"
    case entriesBelow = "entries_below"
    case bytesBelow = "bytes_below"
    case recordKey = "record_key"
    case offset
    case dumpCheck = "dump_check"
    case field, reason, remark, change
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(code, forKey: .code)
    try container.encode(severity, forKey: .severity)
    try container.encode(side, forKey: .side)
    try container.encodeIfPresent(area, forKey: .area)
    try container.encodeIfPresent(path, forKey: .path)
    try container.encodeIfPresent(mailbox, forKey: .mailbox)
    try container.encodeIfPresent(primary, forKey: .primary)
    try container.encodeIfPresent(failover, forKey: .failover)
    try container.encodeIfPresent(FindingText.detail(self), forKey: .detail)
    try container.encodeIfPresent(user, forKey: .user)
    try container.encodeIfPresent(uid, forKey: .uid)
    try container.encodeIfPresent(uniqueID, forKey: .uniqueID)
    try container.encodeIfPresent(identifier, forKey: .identifier)
    try container.encodeIfPresent(quotaRoot, forKey: .quotaRoot)
    try container.encodeIfPresent(entriesBelow, forKey: .entriesBelow)
    try container.encodeIfPresent(bytesBelow, forKey: .bytesBelow)
    try container.encodeIfPresent(recordKey.map { EntryPath(bytes: $0) }, forKey: .recordKey)
    try container.encodeIfPresent(offset, forKey: .offset)
    try container.encodeIfPresent(dumpCheck, forKey: .dumpCheck)
    try container.encodeIfPresent(field, forKey: .field)
    try container.encodeIfPresent(reason, forKey: .reason)
    try container.encodeIfPresent(remark, forKey: .remark)
    try container.encodeIfPresent(change, forKey: .change)
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      try container.decode(FindingCode.self, forKey: .code),
      severity: try container.decode(Severity.self, forKey: .severity),
      side: try container.decode(Side.self, forKey: .side),
      area: try container.decodeIfPresent(AreaName.self, forKey: .area),
      path: try container.decodeIfPresent(EntryPath.self, forKey: .path),
      mailbox: try container.decodeIfPresent(String.self, forKey: .mailbox),
      primary: try container.decodeIfPresent(String.self, forKey: .primary),
      failover: try container.decodeIfPresent(String.self, forKey: .failover),
      reason: try container.decodeIfPresent(String.self, forKey: .reason))
    user = try container.decodeIfPresent(String.self, forKey: .user)
    uid = try container.decodeIfPresent(UInt32.self, forKey: .uid)
    uniqueID = try container.decodeIfPresent(String.self, forKey: .uniqueID)
    identifier = try container.decodeIfPresent(String.self, forKey: .identifier)
    quotaRoot = try container.decodeIfPresent(String.self, forKey: .quotaRoot)
    entriesBelow = try container.decodeIfPresent(Int.self, forKey: .entriesBelow)
    bytesBelow = try container.decodeIfPresent(UInt64.self, forKey: .bytesBelow)
    recordKey = try container.decodeIfPresent(EntryPath.self, forKey: .recordKey)?.bytes
    offset = try container.decodeIfPresent(UInt64.self, forKey: .offset)
    dumpCheck = try container.decodeIfPresent(String.self, forKey: .dumpCheck)
    field = try container.decodeIfPresent(String.self, forKey: .field)
    remark = try container.decodeIfPresent(FindingRemark.self, forKey: .remark)
    change = try container.decodeIfPresent(ChangeClass.self, forKey: .change)
  }
}
