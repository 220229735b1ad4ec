// Fuzz target: flat databases of both escapings (FlatReader).
// The body is FuzzBodies.body("flat"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("flat"))
