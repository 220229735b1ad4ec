// Fuzz target: ACL strings and rights letters (ACL, ACLRights).
// The body is FuzzBodies.body("acl"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("acl"))
