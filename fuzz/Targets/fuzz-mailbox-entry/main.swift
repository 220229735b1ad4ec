// Fuzz target: mailboxes.db records of every version and layout (MailboxEntry).
// The body is FuzzBodies.body("mailbox-entry"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("mailbox-entry"))
