import Processes

extension Plan {
  /// The plan for a person: the two sides, the checks, then every step with its host and its
  /// command, and the stopped window marked.
  public var text: String {
    var out = "cyrus-failover \(procedure): plan\n"
    for side in [source, destination] {
      out += "\(side.role): \(side.configFile)"
      if let root = side.root { out += " (paths under \(root))" }
      out += " on \(side.place)"
      if let version = side.cyrusVersion { out += "; Cyrus \(version)" }
      if let family = side.dataFamily { out += "; data of Cyrus \(family.rawValue)" }
      out += "\n"
    }
    out +=
      versionMismatch
      ? "versions differ: the mailbox list is imported on the \(destination.role)\n"
      : "versions match: no import\n"
    out += "\nchecks:\n"
    for check in checks {
      out += "  [\(check.passed ? "ok" : "REFUSED")] \(check.name): \(check.detail)\n"
    }
    out += "\nsteps:\n"
    var inWindow = false
    var closing = false
    for (number, step) in steps.enumerated() {
      if step.id == windowStart { inWindow = true }
      if closing, step.action != .waitRunning { inWindow = false }
      let mark = inWindow ? "|" : " "
      out +=
        "\(mark) \(String(number + 1).leftPadded(2)). [\(step.host) on \(step.place)] \(step.title)"
      out += step.changes ? "\n" : " (reads only)\n"
      if let argv = step.argv {
        out += "\(mark)       $ \(argv.map(Invocation.displayWord).joined(separator: " "))"
        if let input = step.input { out += " < \(Invocation.displayWord(input))" }
        out += "\n"
      }
      for check in step.before { out += "\(mark)       before: \(check)\n" }
      for check in step.after { out += "\(mark)       after: \(check)\n" }
      out += "\(mark)       on failure: \(step.onFailure)\n"
      if step.id == windowEnd { closing = true }
    }
    if windowStart != nil {
      out += "\n| = the \(source.role)'s Cyrus is stopped (the window)\n"
    }
    return out
  }
}

extension String {
  /// Right-aligned in `width` characters.
  func leftPadded(_ width: Int) -> String {
    String(repeating: " ", count: max(0, width - count)) + self
  }
}
