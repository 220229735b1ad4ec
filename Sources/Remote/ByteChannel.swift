import Glibc
import SystemPackage

/// Frames over a pair of file descriptors (a pipe to `ssh`, the agent's standard input and
/// output, or a manifest file), with buffered reads and writes and byte counters.
///
/// Output is buffered; it is flushed when it passes 64 KiB, when ``flushIfDue()`` finds it
/// older than ``flushInterval``, and always before a read that would block, so neither side
/// can wait for bytes still sitting in the other's buffer.
public final class ByteChannel {
  /// Where frames are read from (-1: none).
  public let input: Int32
  /// Where frames are written to (-1: none).
  public let output: Int32
  /// Bytes read so far, frame headers included.
  public private(set) var bytesReceived = 0
  /// Bytes written so far (handed to the kernel), frame headers included.
  public private(set) var bytesSent = 0
  private var readBuffer: [UInt8] = []
  private var readPosition = 0
  private var writeBuffer: [UInt8] = []
  private var lastFlush = ByteChannel.now()

  /// Output older than this is flushed by ``flushIfDue()``, in seconds.
  public static let flushInterval = 0.02
  /// Flush threshold and read size, in bytes.
  static let bufferBytes = 1 << 16

  /// Wraps descriptors; does not take ownership (the transport or the file owns them).
  public init(input: Int32, output: Int32) {
    self.input = input
    self.output = output
  }

  // MARK: Reading

  /// Whether a read would not block: buffered bytes or a readable descriptor (0 ms poll).
  public func hasInput() -> Bool {
    if readPosition < readBuffer.count { return true }
    var descriptor = pollfd(fd: input, events: Int16(POLLIN), revents: 0)
    return poll(&descriptor, 1, 0) > 0
  }

  /// Reads exactly `count` bytes; `nil` on end of stream before the first byte.
  func readExactly(_ count: Int) throws -> [UInt8]? {
    var result: [UInt8] = []
    result.reserveCapacity(min(count, Self.bufferBytes))
    while result.count < count {
      if readPosition == readBuffer.count {
        try flush()
        guard try fill() else {
          if result.isEmpty { return nil }
          throw RemoteProtocolError(
            .truncated, offset: bytesReceived, detail: "stream ends inside a frame")
        }
      }
      let take = min(count - result.count, readBuffer.count - readPosition)
      result += readBuffer[readPosition..<(readPosition + take)]
      readPosition += take
    }
    return result
  }

  private func fill() throws -> Bool {
    var buffer = [UInt8](repeating: 0, count: Self.bufferBytes)
    let count: Int
    do {
      count = try buffer.withUnsafeMutableBytes {
        try FileDescriptor(rawValue: input).read(into: $0, retryOnInterrupt: true)
      }
    } catch let error as Errno {
      throw ChannelError(operation: "read", code: error.rawValue)
    }
    if count == 0 { return false }
    bytesReceived += count
    readBuffer = Array(buffer[0..<count])
    readPosition = 0
    return true
  }

  /// The next frame, or `nil` at a clean end of stream (between frames).
  public func receive() throws -> Frame? {
    let offset = bytesReceived - (readBuffer.count - readPosition)
    guard let header = try readExactly(Frame.headerBytes) else { return nil }
    let (length, kind) = try Frame.parseHeader(header, offset: offset)
    guard let payload = try readExactly(length) else {
      throw RemoteProtocolError(
        .truncated, offset: offset, detail: "stream ends after a frame header")
    }
    return Frame(kind, payload, offset: offset + Frame.headerBytes)
  }

  /// Reads the magic bytes that start a stream.
  /// - Returns: `nil` when they match; otherwise what was read instead (possibly empty).
  public func readMagic(_ magic: [UInt8]) throws -> [UInt8]? {
    var seen: [UInt8] = []
    while seen.count < magic.count {
      guard let byte = try readExactly(1) else { return seen }
      seen += byte
      if seen.last != magic[seen.count - 1] {
        // Gather a little more of what the other side said, for the message.
        while seen.count < 200, hasInput(), let more = try readExactly(1) { seen += more }
        return seen
      }
    }
    return nil
  }

  // MARK: Writing

  /// Queues a frame; flushes when the buffer passes 64 KiB.
  public func send(_ frame: Frame) throws {
    writeBuffer += frame.encoded
    if writeBuffer.count >= Self.bufferBytes { try flush() }
  }

  /// Queues raw bytes (the magic).
  public func sendRaw(_ bytes: [UInt8]) {
    writeBuffer += bytes
  }

  /// Flushes when output has waited longer than ``flushInterval``.
  public func flushIfDue() throws {
    if !writeBuffer.isEmpty && Self.now() - lastFlush >= Self.flushInterval { try flush() }
  }

  /// Writes everything queued.
  public func flush() throws {
    lastFlush = Self.now()
    defer { writeBuffer.removeAll(keepingCapacity: true) }
    do {
      bytesSent += try FileDescriptor(rawValue: output).writeAll(writeBuffer)
    } catch let error as Errno {
      throw ChannelError(operation: "write", code: error.rawValue)
    }
  }

  static func now() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}

/// A read or write on a channel failed at the system level (a broken pipe: the other side is
/// gone).
public struct ChannelError: Error, Sendable, CustomStringConvertible {
  /// `read` or `write`.
  public var operation: String
  /// The errno value.
  public var code: Int32
  public var description: String { "\(operation) failed: \(String(cString: strerror(code)))" }
}
