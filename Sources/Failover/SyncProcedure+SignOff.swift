import Foundation
import Remote
import Verification

extension SyncProcedure {
  /// Writes the sign-off of this run with `writer`: the report's steps and window, the final
  /// verification, both sides as inspected, the manifest the run saved in the stopped window
  /// as the primary's (none when the run ended before it), and the failover's saved now.
  /// - Parameter verification: the last verification, when it is not this run's own (a repair
  ///   that followed it).
  /// - Throws: ``SignOffError``, or the error of a failover that cannot be walked.
  public func signOff(
    _ report: ProcedureReport, writer: SignOffWriter, verification: VerifyResult? = nil
  ) throws -> SignOffWriter.Written {
    let saved = report.steps.contains { record in
      record.outcome.hasPrefix("ok")
        && plan.steps.contains { $0.id == record.id && $0.action == .saveManifest }
    }
    return try writer.write(
      madeBy: request.kind.rawValue, verification: verification ?? self.verification,
      policy: request.policy,
      level: request.kind == .restore ? .full : .meta, procedure: report,
      primary: SignOffWriter.SideInput(
        role: source.role, specification: source.specification, probe: source.probe,
        manifest: saved ? .copy(settings.manifestPath) : .none),
      failover: SignOffWriter.SideInput(
        role: destination.role, specification: destination.specification,
        probe: destination.probe, manifest: .save))
  }
}
