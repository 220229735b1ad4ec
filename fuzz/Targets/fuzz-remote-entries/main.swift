// Fuzz target: manifest entries as the agent protocol encodes them (EntryCodec).
// Any crash, trap, hang or sanitizer report is a bug; see fuzz/README.md.
import CyrusFormats
import CyrusStore
import FuzzSupport

@testable import Remote

runFuzzer { bytes in
  _ = try? EntryDecoder.decodeAll(bytes, baseOffset: 0, count: 4096)
}
