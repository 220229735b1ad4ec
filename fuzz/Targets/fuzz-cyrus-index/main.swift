// Fuzz target: cyrus.index and cyrus.expunge of minor 6–17 (IndexReader).
// The body is FuzzBodies.body("cyrus-index"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("cyrus-index"))
