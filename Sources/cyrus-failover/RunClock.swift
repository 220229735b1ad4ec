import Foundation

/// The time since this process started working (``Main`` reads ``started`` first), and the
/// wall-clock time now: what the monitoring outputs report as a run's duration and end.
enum RunClock {
  /// The instant `main` began.
  static let started = ContinuousClock.now

  /// Seconds since ``started``.
  static var elapsed: Double {
    let duration = started.duration(to: .now).components
    return Double(duration.seconds) + Double(duration.attoseconds) / 1e18
  }

  /// Seconds since the Unix epoch.
  static var now: Double { Date().timeIntervalSince1970 }
}
