/// Something that compares two sides and reports to a sink: ``Verifier`` for two local
/// instances, and the remote module's verifier for a side over SSH or a saved manifest. The
/// executable's report code takes either.
public protocol VerificationRun {
  /// The report context before the run.
  var context: VerifyContext { get }
  /// Runs the comparison to the end; returns the context with entry counts filled in.
  func run(sink: any FindingSink, progress: ((Int, Int) -> Void)?) throws -> VerifyContext
}

extension Verifier: VerificationRun {}
