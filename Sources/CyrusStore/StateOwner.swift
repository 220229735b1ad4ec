/// Whose a per-user state file of the config directory is, as far as its path tells (§8.1,
/// §9.1 of the formats reference).
public enum StateOwner: Sendable, Equatable {
  /// A legacy path names the user: `user/<h>/<userid>.seen`, or with virtual domains
  /// `domain/<h>/<domain>/user/<h>/<local>.seen` (`local@domain`).
  case user(String)
  /// The 3.6 uuid layout names the user's INBOX by its uniqueid:
  /// `user/uuid/<c1>/<c2>/<inbox uniqueid>/seen.db`; the mailbox list gives the name.
  case inbox(uniqueID: String)

  /// The owner of the state file at `path` (relative to the config directory), or `nil` when
  /// the path has neither form.
  public static func of(_ path: EntryPath) -> StateOwner? {
    let parts = path.components.map { String(decoding: $0, as: UTF8.self) }
    let file = parts.last ?? ""
    if parts.count == 6, parts[0] == "user", parts[1] == "uuid",
      file == "seen.db" || file == "sub.db"
    {
      return .inbox(uniqueID: parts[4])
    }
    guard let local = userid(fileName: file) else { return nil }
    if parts.count == 3, parts[0] == "user" { return .user(local) }
    if parts.count == 6, parts[0] == "domain", parts[3] == "user" {
      return .user("\(local)@\(parts[2])")
    }
    return nil
  }

  /// `fred` of `fred.seen` or `fred.sub`.
  static func userid(fileName: String) -> String? {
    for suffix in [".seen", ".sub"] where fileName.hasSuffix(suffix) {
      let name = String(fileName.dropLast(suffix.count))
      return name.isEmpty ? nil : name
    }
    return nil
  }
}
