// Fuzz target: skiplist databases (SkiplistReader).
// The body is FuzzBodies.body("skiplist"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("skiplist"))
