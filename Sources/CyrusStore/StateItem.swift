/// One record of a per-user state file, reduced to what it means, so that two copies can be
/// compared record by record: for a seen database the mailbox uniqueid and its canonical seen
/// state, for a subscription list one subscribed name (its raw key; the value is empty).
public struct StateItem: Sendable, Equatable {
  /// The record's key as stored: a mailbox uniqueid (§8.3), or a subscription key (§9.3: an
  /// internal name up to 3.4, `N` + dbname in 3.6).
  public var key: [UInt8]
  /// For seen state: `last UID <n>, seen <set>` with the set in canonical form (read times
  /// left out); empty for a subscription.
  public var value: String

  /// Makes an item.
  public init(key: [UInt8], value: String) {
    self.key = key
    self.value = value
  }

  /// The seen-state text of a value: its last UID and its seen set in canonical form.
  public static func seenText(lastUID: UInt32, seen: String) -> String {
    "last UID \(lastUID), seen \(seen.isEmpty ? "nothing" : seen)"
  }
}
