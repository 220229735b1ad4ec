// Fuzz target: ctl_mboxlist -d text dumps of every format (MailboxListDumpParser).
// The body is FuzzBodies.body("dump-text"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("dump-text"))
