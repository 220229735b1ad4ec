// Fuzz target: entry paths and spool names (EntryPath, SpoolNaming).
// The body is FuzzBodies.body("entry-path"), which the replay test runs too.
import FuzzSupport

@testable import FuzzBodies

runFuzzer(FuzzBodies.body("entry-path"))
