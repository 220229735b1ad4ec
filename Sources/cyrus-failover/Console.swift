import Verification

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard output and standard error, unbuffered by Foundation: results on stdout, logs and
/// progress on stderr. Only the executable touches them.
enum Console {
  /// Writes to standard output.
  static func out(_ text: String) { write(1, text) }
  /// Writes to standard error.
  static func err(_ text: String) { write(2, text) }
  /// Whether standard error is a terminal (progress lines only then).
  static var stderrIsTerminal: Bool { isatty(2) == 1 }

  static func exit(_ status: Int32) -> Never { Glibc.exit(status) }

  private static func write(_ fd: Int32, _ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
      let count = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
      if count < 0 {
        if errno == EINTR { continue }
        return
      }
      bytes = bytes.dropFirst(count)
    }
  }
}

/// Standard output as a ``ReportOutput``, buffered in 64 KiB chunks.
final class StandardOutput: ReportOutput {
  private var buffer = ""

  func write(_ text: String) {
    buffer += text
    if buffer.utf8.count >= 1 << 16 { flush() }
  }

  func flush() {
    Console.out(buffer)
    buffer = ""
  }
}
