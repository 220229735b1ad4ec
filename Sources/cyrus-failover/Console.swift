import Glibc
import SystemPackage
import Verification

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
    _ = try? write(fd, bytes: Array(text.utf8))
  }

  /// Writes all of `bytes` to `fd` (retried on EINTR and short writes): the one write loop of
  /// the executable, for standard output, standard error and the files it writes.
  static func write(_ fd: Int32, bytes: [UInt8]) throws(Errno) {
    do {
      _ = try FileDescriptor(rawValue: fd).writeAll(bytes)
    } catch let error as Errno {
      throw error
    } catch {
      throw Errno.ioError
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
