import CyrusStore

/// The words of a finding: its facts rendered for people, in one place, for the text and JUnit
/// reports and the JSON `detail` member (kept for readers of schema version 1).
public enum FindingText {
  /// The extra words about a finding beyond its code, place and values; nil when it has none.
  public static func detail(_ finding: Finding) -> String? {
    var parts: [String] = []
    if let user = finding.user {
      if finding.code == .subscriptionsUnknownMailbox {
        parts.append("user \(user): \(notInMailboxesDB(finding.side))")
      } else {
        parts.append("user \(user)")
      }
    } else if finding.code == .subscriptionsUnknownMailbox {
      parts.append(notInMailboxesDB(finding.side))
    }
    if let uniqueID = finding.uniqueID { parts.append("uniqueid \(uniqueID)") }
    if let identifier = finding.identifier { parts.append("identifier \(identifier)") }
    if let quotaRoot = finding.quotaRoot { parts.append("quota root \(quotaRoot)") }
    if let key = finding.recordKey {
      var record = "record \(EntryPath.escape(key))"
      if let offset = finding.offset {
        record += " at offset 0x\(String(offset, radix: 16, uppercase: true))"
      }
      parts.append(finding.reason.map { "\(record): \($0)" } ?? record)
    } else if let reason = finding.reason {
      parts.append(reason)
    }
    if finding.code == .specialFile, finding.side != .both {
      parts.append(finding.primary ?? finding.failover ?? "")
    }
    var text = parts.joined(separator: ", ")
    if let remark = finding.remark { text = join(text, remarkText(remark, finding)) }
    if let entries = finding.entriesBelow {
      let below =
        "\(entries) entr\(entries == 1 ? "y" : "ies") below on the \(subtreeSide(finding).rawValue)"
        + " (\(finding.bytesBelow == .max ? "at least \(UInt64.max)" : "\(finding.bytesBelow ?? 0)")"
        + " bytes in files) not compared one by one"
      text = text.isEmpty ? below : "\(text); \(below)"
    }
    if finding.change == .lag {
      text = join(text, "lag: the primary changed after the copy was made")
    }
    return text.isEmpty ? nil : text
  }

  static func join(_ text: String, _ remark: String) -> String {
    if text.isEmpty { return remark }
    return remark.hasPrefix("(") ? "\(text) \(remark)" : "\(text); \(remark)"
  }

  static func notInMailboxesDB(_ side: Side) -> String {
    side == .both
      ? "not in either side's mailboxes.db" : "not in the \(side.rawValue)'s mailboxes.db"
  }

  static func remarkText(_ remark: FindingRemark, _ finding: Finding) -> String {
    switch remark {
    case .partitionNotConfigured:
      "no partition-\(finding.area?.partition ?? "?") in imapd.conf"
    case .comparedByDigestOnly:
      "over \(StateSummary.maxItems) records or \(StateSummary.maxItemBytes >> 20) MiB: compared by digest only"
    case .tooManyUnnamed: "(not named: too many unnamed seen records)"
    case .noMailboxHasUniqueID: "(no mailbox has this uniqueid)"
    }
  }

  /// The side that has the directory whose content was folded into the finding.
  static func subtreeSide(_ finding: Finding) -> Side {
    switch finding.code {
    case .directoryMissing: return .primary
    case .directoryExtra: return .failover
    case .unlistable: return finding.side == .primary ? .failover : .primary
    default: return finding.primary == EntryKind.directory.rawValue ? .primary : .failover
    }
  }

  /// One finding on one line: severity, code, place, side, values, detail.
  public static func line(_ finding: Finding) -> String {
    var text = "\(pad(finding.severity.rawValue, 7)) \(finding.code.rawValue)"
    if let location = finding.location { text += "  \(location)" }
    if finding.side != .both { text += "  [\(finding.side.rawValue)]" }
    if finding.code != .specialFile || finding.side == .both {
      if let primary = finding.primary { text += "  primary: \(primary)" }
      if let failover = finding.failover { text += "  failover: \(failover)" }
    }
    if let detail = detail(finding) { text += "  (\(detail))" }
    return Terminal.safe(text)
  }

  static func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let fill = String(repeating: " ", count: max(0, width - text.count))
    return left ? fill + text : text + fill
  }
}
