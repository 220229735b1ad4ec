// Fuzz target: dlist text (Dlist.parse, printed again and parsed back).
// The body is FuzzBodies.body("dlist"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("dlist"))
