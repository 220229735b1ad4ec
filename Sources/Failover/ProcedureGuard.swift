import Foundation
import Remote
import Verification

/// What a procedure holds while its plan runs: the lock (one procedure at a time), the state
/// directory made (0700), and — when the plan stops the source — the watchdog process that
/// starts the source again if this process is killed. A run without its watchdog is refused.
struct ProcedureGuard {
  let lock: RunLock
  let watchdog: Watchdog?

  /// Takes the lock, makes the state directory and starts the watchdog the plan needs.
  /// - Throws: the reason the run is refused (nothing was changed).
  init(for plan: Plan, request: ProcedureRequest, source: ProcedureSide) throws {
    lock = try RunLock(path: request.lockPath)
    do {
      try FileManager.default.createDirectory(
        atPath: request.stateDirectory, withIntermediateDirectories: true,
        attributes: [.posixPermissions: 0o700])
      guard plan.windowStart != nil, let service = source.service else {
        watchdog = nil
        return
      }
      do {
        watchdog = try Watchdog(
          executable: request.executable,
          configuration: .init(
            start: service.start, status: service.status, environment: request.environment,
            startTimeout: request.startTimeout),
          logPath: request.logPath.map { $0 + ".watchdog" }, runner: request.runner)
      } catch {
        throw ProcedureError(
          .refused, "cannot start the watchdog that guards the stopped window: \(error)")
      }
    } catch {
      lock.release()
      throw error
    }
  }

  /// Ends the watchdog (the window is closed) and releases the lock.
  func release() {
    watchdog?.finish()
    lock.release()
  }
}

extension ProcedureReport {
  /// Records the verification's verdict and its counts per severity.
  mutating func record(_ verification: VerifyResult) {
    verdict = verification.verdict
    findings = Dictionary(
      uniqueKeysWithValues: Severity.allCases.map { ($0.rawValue, verification.summary.count($0)) })
  }
}
