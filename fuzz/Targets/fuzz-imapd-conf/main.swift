// Fuzz target: imapd.conf text (ImapdConf).
// The body is FuzzBodies.body("imapd-conf"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("imapd-conf"))
