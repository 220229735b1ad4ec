import FuzzDriver

#if canImport(Glibc)
  import Glibc
#endif

/// The body of the running fuzz target: libFuzzer calls back through a C function pointer,
/// which cannot capture, so the body waits here. Set once, before the driver starts.
nonisolated(unsafe) private var currentBody: (([UInt8]) -> Void)?

/// Runs libFuzzer's driver with the process's arguments (`-runs`, `-max_total_time`, corpus
/// directories…), calling `body` with each input; exits with the driver's status.
public func runFuzzer(_ body: @escaping ([UInt8]) -> Void) -> Never {
  currentBody = body
  var argc = CommandLine.argc
  var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
  let status = LLVMFuzzerRunDriver(&argc, &argv) { data, size in
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    currentBody?(bytes)
    return 0
  }
  exit(status)
}

/// Calls `body` with a descriptor open on a file holding `bytes`, at offset 0; the file has no
/// name (unlinked at once) and `/proc/self/fd/N` reaches it for code that wants a path.
public func withInputFile(_ bytes: [UInt8], _ body: (Int32) -> Void) {
  let path = "/dev/shm/cyrus-failover-fuzz-\(getpid())"
  let fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
  guard fd >= 0 else { fatalError("cannot make \(path)") }
  unlink(path)
  defer { close(fd) }
  var written = 0
  while written < bytes.count {
    let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
    guard count > 0 else { fatalError("cannot write \(path)") }
    written += count
  }
  lseek(fd, 0, SEEK_SET)
  body(fd)
}
