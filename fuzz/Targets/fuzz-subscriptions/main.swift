// Fuzz target: subscription databases, read as flat, into Subscriptions.
// The body is FuzzBodies.body("subscriptions"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("subscriptions"))
