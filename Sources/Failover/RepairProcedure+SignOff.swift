import Foundation
import Remote
import Verification

extension RepairProcedure {
  /// Writes the sign-off of a standalone repair with `writer`: its rounds as one report (their
  /// steps prefixed `repairN.`, the first failure of any, the last verdict), the stopped window
  /// of the first round that stopped the primary, the last verification (at `full` level), and
  /// both sides' manifests saved now — as `verify --sign-off` does, since a repair saves none
  /// in a stopped window.
  /// - Throws: ``SignOffError``, or the error of a side that cannot be walked.
  public func signOff(_ rounds: [ProcedureReport], writer: SignOffWriter) throws
    -> SignOffWriter.Written
  {
    try writer.write(
      madeBy: "repair", verification: verification, policy: request.policy, level: .full,
      procedure: ProcedureReport(procedure: "repair").followed(by: rounds),
      primary: SignOffWriter.SideInput(
        role: source.role, specification: source.specification, probe: source.probe,
        manifest: .save),
      failover: SignOffWriter.SideInput(
        role: destination.role, specification: destination.specification,
        probe: destination.probe, manifest: .save))
  }
}
