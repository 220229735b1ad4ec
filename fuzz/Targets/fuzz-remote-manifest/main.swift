// Fuzz target: saved manifest files (ManifestReader).
// Any crash, trap, hang or sanitizer report is a bug; see fuzz/README.md.
import CyrusFormats
import CyrusStore
import FuzzSupport

@testable import Remote

runFuzzer { bytes in
  withInputFile(bytes) { fd in
    guard let reader = try? ManifestReader(path: "/proc/self/fd/\(fd)") else { return }
    var entries = 0
    while entries < 100_000, let entry = try? reader.next() {
      _ = entry
      entries += 1
    }
  }
}
