import Foundation
import Processes
import Testing

/// The sandbox's command-line word reads back exactly and refuses anything else; a descriptor
/// given as standard input reaches the child as it is and stays open in the parent.
@Suite struct SandboxTests {
  @Test(arguments: [
    Sandbox(addressSpaceBytes: 512 << 20, cpuSeconds: 600, identity: nil),
    Sandbox(
      addressSpaceBytes: 1, cpuSeconds: 1, identity: Sandbox.Identity(user: 65534, group: 65534)),
  ])
  func argumentReadsBack(sandbox: Sandbox) {
    #expect(Sandbox(argument: sandbox.argument) == sandbox)
  }

  @Test(arguments: [
    "", "as=1", "cpu=1", "as=0,cpu=1", "as=1,cpu=0", "as=1,cpu=1,uid=0", "as=1,cpu=1,gid=0",
    "as=1,cpu=1,as=2", "as=1,cpu=1,core=0", "as=-1,cpu=1", "as=1,cpu=2147483647", "as=1,cpu=1,",
    "as=1,cpu=1,uid=4294967295,gid=0", "as = 1,cpu=1",
  ])
  func malformedArgumentIsRefused(argument: String) {
    #expect(Sandbox(argument: argument) == nil)
  }

  /// As root, the identity to take is `nobody`'s and never root's; otherwise there is none.
  @Test func unprivilegedIdentityIsNobody() {
    let identity = Sandbox.unprivilegedIdentity()
    guard geteuid() == 0 else {
      #expect(identity == nil)
      return
    }
    let nobody = getpwnam("nobody")
    #expect(identity?.user == nobody?.pointee.pw_uid ?? 65534)
    #expect(identity?.group == nobody?.pointee.pw_gid ?? 65534)
    #expect(identity?.user != 0 && identity?.group != 0)
  }

  /// `cat` reads the file through the descriptor from its start, whatever the descriptor's
  /// offset; the descriptor is still the parent's afterwards.
  @Test func descriptorIsTheChildsStandardInput() throws {
    let path = NSTemporaryDirectory() + "/sandbox-tests-" + UUID().uuidString
    defer { unlink(path) }
    try Data("first\nsecond\n".utf8).write(to: URL(fileURLWithPath: path))
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    try #require(fd >= 0)
    defer { close(fd) }
    let invocation = Invocation(
      "/bin/cat", [], environment: Invocation.minimalEnvironment, standardInput: .descriptor(fd))
    #expect(try ProcessRunner().run(invocation).outputText == "first\nsecond\n")
    #expect(fcntl(fd, F_GETFD) == FD_CLOEXEC)
  }
}
