import Foundation
import Processes
import Testing

/// The one process runner, with real programs (sh, cat, ls): statuses, signals, capture limits,
/// explicit environments, time limits and cancels that end the whole process group.
@Suite struct ProcessRunnerTests {
  let runner = ProcessRunner(terminationGrace: .seconds(2))
  let environment = Invocation.minimalEnvironment

  func sh(_ script: String, input: Invocation.Input = .null) -> Invocation {
    Invocation("/bin/sh", ["-c", script], environment: environment, standardInput: input)
  }

  @Test func exitStatusAndSignalStayApart() throws {
    #expect(try runner.run(sh("exit 3")).termination == .exited(3))
    #expect(try runner.run(sh("kill -TERM $$")).termination == .signaled(SIGTERM))
    #expect(try runner.run(sh("exit 0")).succeeded)
  }

  @Test func outputIsCapturedUpToItsLimitHeadAndTail() throws {
    var head = sh("seq 1 100000")
    head.standardOutput = .capture(limit: 10)
    let first = try runner.run(head)
    #expect(first.outputText == "1\n2\n3\n4\n5\n")
    #expect(first.droppedOutputBytes > 0)
    var tail = sh("seq 1 100000 >&2")
    tail.standardError = .captureTail(limit: 7)
    let last = try runner.run(tail)
    #expect(last.errorText == "100000\n")
  }

  @Test func standardInputBytesReachTheChild() throws {
    let bytes = Array(repeating: UInt8(ascii: "x"), count: 300_000)
    let outcome = try runner.run(sh("wc -c", input: .bytes(bytes)))
    #expect(outcome.outputText.trimmingCharacters(in: .whitespacesAndNewlines) == "300000")
  }

  @Test func theEnvironmentIsExactlyTheOneGiven() throws {
    let outcome = try runner.run(
      Invocation("/usr/bin/env", [], environment: ["ONLY": "this"]))
    #expect(outcome.outputText == "ONLY=this\n")
  }

  @Test func workingDirectoryAndNoInheritedDescriptors() throws {
    let outcome = try runner.run(
      Invocation(
        "/bin/sh", ["-c", "pwd; ls /proc/self/fd"], environment: environment,
        workingDirectory: "/usr"))
    let lines = outcome.outputText.split(separator: "\n")
    #expect(lines.first == "/usr")
    // 0, 1, 2 and the descriptor ls opens to read the directory: nothing of this process.
    #expect(lines.dropFirst().count <= 4, "\(lines)")
  }

  @Test func aTimeLimitEndsTheWholeProcessGroup() throws {
    let marker = NSTemporaryDirectory() + "runner-" + UUID().uuidString
    defer { try? FileManager.default.removeItem(atPath: marker) }
    // The grandchild would write the marker after 3 s if it survived its parent's end.
    let outcome = try runner.run(
      sh("(sleep 3; echo survived > \(marker)) & sleep 30"), timeLimit: .milliseconds(300))
    #expect(outcome.timedOut)
    #expect(outcome.termination == .signaled(SIGTERM))
    Thread.sleep(forTimeInterval: 3.5)
    #expect(!FileManager.default.fileExists(atPath: marker))
  }

  @Test func aCancelEndsTheRun() throws {
    let cancellation = Cancellation()
    DispatchQueue.global().asyncAfter(deadline: .now() + 0.2) { cancellation.cancel() }
    let outcome = try runner.run(sh("sleep 30"), cancellation: cancellation)
    #expect(outcome.cancelled)
    #expect(!outcome.succeeded)
  }

  @Test func aDaemonHoldingTheOutputPipeDoesNotHoldTheRun() throws {
    // The child exits at once; its background job keeps stdout open for 20 s.
    let started = ContinuousClock.now
    let outcome = try runner.run(sh("echo hi; sleep 20 & exit 0"))
    #expect(outcome.outputText == "hi\n")
    #expect(ContinuousClock.now - started < .seconds(15))
  }

  @Test func streamingHandsOutChunksAndEndsAHungChild() throws {
    var invocation = sh("printf 'a\\nb\\n'; sleep 30")
    invocation.standardOutput = .pipe
    var received: [UInt8] = []
    let outcome = try runner.stream(invocation, idleLimit: .milliseconds(300)) {
      received += $0
    }
    #expect(String(decoding: received, as: UTF8.self) == "a\nb\n")
    #expect(outcome.timedOut)
  }

  @Test func aMissingProgramIsAnError() {
    #expect(throws: ProcessError.self) {
      try runner.run(Invocation("/nonexistent/tool", [], environment: environment))
    }
    #expect(Invocation.resolve("sh", searchPath: "/nonexistent:/bin") == "/bin/sh")
    #expect(Invocation.resolve("no-such-tool-here", searchPath: "/bin:/usr/bin") == nil)
  }

  @Test func theLogHearsEveryStartAndEnd() throws {
    let log = RecordingLog()
    let logged = ProcessRunner(log: log)
    _ = try logged.run(sh("exit 4"))
    #expect(log.events == ["start /bin/sh -c 'exit 4'", "end exit status 4"])
  }

  @Test func argvIsShownQuotedAndEscaped() {
    let invocation = Invocation(
      "/usr/bin/rsync", ["-aH", "a b", "it's", "x\u{1B}[2J"], environment: [:])
    #expect(invocation.description == "/usr/bin/rsync -aH 'a b' 'it'\\''s' 'x\\x1b[2J'")
  }
}

final class RecordingLog: ProcessLog, @unchecked Sendable {
  private let lock = NSLock()
  private var recorded: [String] = []
  var events: [String] {
    lock.lock()
    defer { lock.unlock() }
    return recorded
  }
  func started(_ invocation: Invocation, pid: Int32) {
    lock.lock()
    recorded.append("start \(invocation)")
    lock.unlock()
  }
  func ended(_ invocation: Invocation, pid: Int32, outcome: ProcessOutcome) {
    lock.lock()
    recorded.append("end \(outcome.summary)")
    lock.unlock()
  }
}
