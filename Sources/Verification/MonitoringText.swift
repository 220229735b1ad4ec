/// Text rules shared by the monitoring outputs (``NagiosReport``, ``MetricsReport``): numbers
/// written the same way on every locale, and which characters text from the trees may not keep.
enum MonitoringText {
  /// `value` with exactly `places` decimals and a `.` separator (`12.300`), rounded half away
  /// from zero; negative values are written as 0 (durations and timestamps are never negative).
  static func decimal(_ value: Double, places: Int = 3) -> String {
    precondition((0...9).contains(places), "decimal places must be 0 to 9")
    guard value.isFinite, value > 0 else {
      return places == 0 ? "0" : "0." + String(repeating: "0", count: places)
    }
    var scale: UInt64 = 1
    for _ in 0..<places { scale *= 10 }
    // Clamped below 2^63: no duration or timestamp comes near it, and UInt64(_:) traps above.
    let scaled = UInt64(min((value * Double(scale)).rounded(), 9.0e18))
    let whole = String(scaled / scale)
    guard places > 0 else { return whole }
    let fraction = String(scaled % scale)
    return whole + "." + String(repeating: "0", count: places - fraction.count) + fraction
  }

  /// `text` with each character the output gives a meaning to replaced as `special` says (it
  /// returns nil for an ordinary one), and every other control character (C0, DEL, C1) as `?`,
  /// so that a mailbox name or path cannot break a line or hide text on a terminal.
  static func escape(_ text: String, special: (Unicode.Scalar) -> String?) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
      if let replacement = special(scalar) {
        out += replacement
      } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
        out += "?"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }
}
