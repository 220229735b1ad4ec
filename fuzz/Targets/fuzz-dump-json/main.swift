// Fuzz target: Cyrus 3.6 JSON dumps and JSON values (JSONValue.parse).
// The body is FuzzBodies.body("dump-json"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("dump-json"))
