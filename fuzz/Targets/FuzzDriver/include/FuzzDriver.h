// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h), for a fuzz target whose
// `main` is Swift's (SwiftPM renames a target's main and points `main` at it).
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));
