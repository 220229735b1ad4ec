import CyrusStore
import Testing

@testable import Remote

/// `--hash-jobs` over the protocol: carried in `open`, bounded, and settled by the agent's host
/// when the local side leaves it open.
@Suite struct HashJobsProtocolTests {
  @Test(arguments: [0, 1, 4, WalkOptions.maxHashJobs])
  func openCarriesTheHashJobs(jobs: Int) throws {
    let request = OpenRequest(
      instance: "/etc/imapd.conf", root: nil, level: .guid, includeRuntime: true, hashJobs: jobs)
    #expect(try OpenRequest(request.frame) == request)
  }

  @Test func moreThanTheLimitIsRefused() {
    var request = OpenRequest(
      instance: "/etc/imapd.conf", root: nil, level: .full, includeRuntime: false)
    request.hashJobs = WalkOptions.maxHashJobs + 1
    #expect(throws: RemoteProtocolError.self) { try OpenRequest(request.frame) }
  }

  @Test func theAgentDecidesWhatIsLeftToIt() {
    var agent = Agent(toolVersion: "test")
    #expect(agent.hashJobs(asked: 0) == WalkOptions.defaultHashJobs)
    #expect(agent.hashJobs(asked: 7) == 7)
    agent.hashJobs = 3
    #expect(agent.hashJobs(asked: 0) == 3)
    #expect(agent.hashJobs(asked: 2) == 2)
    #expect(agent.hashJobs(asked: 16) == 3)
  }
}
