import Foundation

/// What a live instance serves (`cyrus-instance.py state`): the script's JSON, whose text is
/// deterministic, so two states are equal exactly when their texts are.
public struct ServedState: Equatable, CustomStringConvertible {
  /// The JSON text as the script printed it.
  public let text: String
  /// The parsed document.
  public let document: [String: Any]

  /// Parses the script's output.
  public init(text: String) throws {
    self.text = text
    guard
      let document = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    else { throw ProcessFailure(description: "state: not a JSON object: \(text.prefix(200))") }
    self.document = document
  }

  public static func == (lhs: ServedState, rhs: ServedState) -> Bool { lhs.text == rhs.text }

  public var description: String { text }

  /// The mailbox record of an internal name (`user.anna.Sent`).
  public func mailbox(_ name: String) -> [String: Any]? {
    (document["mailboxes"] as? [String: Any])?[name] as? [String: Any]
  }

  /// The messages of a mailbox, by UID.
  public func messages(in name: String) -> [[String: Any]] {
    mailbox(name)?["messages"] as? [[String: Any]] ?? []
  }

  /// The UIDs `principal` sees \Seen in a mailbox, as a sequence set (`1:3,5`).
  public func seen(in name: String, by principal: String) -> String? {
    (mailbox(name)?["seen"] as? [String: Any])?[principal] as? String
  }

  /// What LSUB gives `user` (names as the user sees them).
  public func subscriptions(of user: String) -> [String] {
    let record = (document["users"] as? [String: Any])?[user] as? [String: Any]
    return (record?["lsub"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
  }

  /// Where this state and `other` differ, one line per difference (`path: ours ≠ theirs`,
  /// or `path: only in …`), at most `limit` lines and a count of the rest: for the message of
  /// a failed expectation. Messages are matched by UID and list entries by name, so one
  /// missing message is one line, not a shift of every later one.
  public func differences(
    from other: ServedState, labels: (String, String) = ("primary", "failover"), limit: Int = 40
  ) -> [String] {
    var lines: [String] = []
    StateDiff(labels: labels).compare(document, other.document, at: "", into: &lines)
    guard lines.count > limit else { return lines }
    return Array(lines.prefix(limit)) + ["… and \(lines.count - limit) more differences"]
  }

  /// ``differences(from:labels:limit:)`` as one text, for `#expect(a == b, …)`.
  public func differenceReport(
    from other: ServedState, labels: (String, String) = ("primary", "failover")
  ) -> String {
    "states differ:\n" + differences(from: other, labels: labels).joined(separator: "\n")
  }
}

/// The recursive comparison behind ``ServedState/differences(from:labels:limit:)``.
struct StateDiff {
  var labels: (String, String)

  func compare(_ lhs: Any?, _ rhs: Any?, at path: String, into lines: inout [String]) {
    switch (lhs, rhs) {
    case (let l as [String: Any], let r as [String: Any]):
      for key in Set(l.keys).union(r.keys).sorted() {
        compare(l[key], r[key], at: path + "." + key, into: &lines)
      }
    case (let l as [Any], let r as [Any]):
      if let keyed = keyedPairs(l, r) {
        for (key, pair) in keyed { compare(pair.0, pair.1, at: path + "[\(key)]", into: &lines) }
      } else if render(l) != render(r) {
        lines.append("\(path): \(labels.0) \(render(l)), \(labels.1) \(render(r))")
      }
    case (nil, let r?):
      lines.append("\(path): only in \(labels.1): \(render(r))")
    case (let l?, nil):
      lines.append("\(path): only in \(labels.0): \(render(l))")
    default:
      if render(lhs) != render(rhs) {
        lines.append("\(path): \(labels.0) \(render(lhs)), \(labels.1) \(render(rhs))")
      }
    }
  }

  /// Lists of objects with a `uid` or a `name`, paired by it (`uid 3`, `name INBOX`).
  func keyedPairs(_ l: [Any], _ r: [Any]) -> [(String, (Any?, Any?))]? {
    for field in ["uid", "name"] {
      func key(_ item: Any) -> String? {
        guard let object = item as? [String: Any], let value = object[field] else { return nil }
        return "\(field) \(value)"
      }
      let left = l.compactMap(key)
      let right = r.compactMap(key)
      guard left.count == l.count, right.count == r.count, !(l.isEmpty && r.isEmpty) else {
        continue
      }
      let leftItems = Dictionary(zip(left, l), uniquingKeysWith: { a, _ in a })
      let rightItems = Dictionary(zip(right, r), uniquingKeysWith: { a, _ in a })
      var order = left
      order += right.filter { leftItems[$0] == nil }
      return order.map { ($0, (leftItems[$0], rightItems[$0])) }
    }
    return nil
  }

  func render(_ value: Any?) -> String {
    guard let value, !(value is NSNull) else { return "null" }
    if let string = value as? String { return "\"\(string)\"" }
    if JSONSerialization.isValidJSONObject(value),
      let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])
    {
      return String(decoding: data, as: UTF8.self)
    }
    return "\(value)"
  }
}
