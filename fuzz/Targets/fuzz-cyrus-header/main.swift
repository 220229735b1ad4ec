// Fuzz target: cyrus.header of 2.2–3.6 (MailboxHeader.parse).
// The body is FuzzBodies.body("cyrus-header"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("cyrus-header"))
