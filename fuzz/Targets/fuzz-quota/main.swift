// Fuzz target: quota files (QuotaRecord.parse).
// The body is FuzzBodies.body("quota"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("quota"))
