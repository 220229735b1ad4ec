// Fuzz target: seen values and sequence sets (SeenValue, SequenceSet).
// The body is FuzzBodies.body("seen"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("seen"))
