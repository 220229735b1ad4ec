import Processes

/// The steps a plan's runner cannot do by running a program: the tool's own actions (waiting
/// for Cyrus, writing the dump, saving the manifest, converting and checking the import,
/// verifying), done by the procedure that made the plan.
public protocol StepActions: AnyObject {
  /// Carries out `step` (not ``Step/Action/run``).
  /// - Returns: a note for the report, if any.
  /// - Throws: ``ProcedureError`` when it fails.
  func perform(_ step: Step, cancellation: Cancellation) throws -> String?
}
