// Fuzz target: the Berkeley DB child's record stream (BerkeleyRecordDecoder).
// Any crash, trap, hang or sanitizer report is a bug; see fuzz/README.md.
import CyrusFormats
import CyrusStore
import FuzzSupport

@testable import Remote

runFuzzer { bytes in
  var decoder = BerkeleyRecordDecoder()
  var start = 0
  var step = 1
  while start < bytes.count {
    let end = min(bytes.count, start + step)
    decoder.append(bytes[start..<end])
    start = end
    step = step * 5 % 251 + 1
    do {
      while try decoder.next() != nil {}
    } catch {
      return
    }
  }
}
