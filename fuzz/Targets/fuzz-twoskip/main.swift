// Fuzz target: twoskip databases (TwoskipReader, verifyLayout).
// The body is FuzzBodies.body("twoskip"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("twoskip"))
