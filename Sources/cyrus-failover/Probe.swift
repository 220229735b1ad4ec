import ArgumentParser
import CyrusStore
import Failover
import Foundation
import Processes

extension CyrusFailover {
  /// `probe`: what this host has for one instance, as JSON (read only). A procedure runs it
  /// over SSH on the other host; not for humans, hidden from help.
  struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Describe this host for one instance as JSON (run by sync over ssh).",
      shouldDisplay: false)

    @OptionGroup var place: InstanceOptions

    @Flag(help: "Also sum the bytes in each area (a metadata walk).")
    var usage = false

    func validate() throws {
      guard place.instance != nil else { throw ValidationError("--instance is required") }
    }

    func run() throws {
      guard let instance = try place.locate() else { preconditionFailure("validated") }
      let environment = ToolEnvironment(verbose: false)
      let probe = HostProbe.collect(
        instance, toolVersion: CyrusFailover.toolVersion, usage: usage,
        runner: environment.runner, berkeley: environment.berkeleyReader,
        searchPath: environment.variables["PATH"] ?? Invocation.minimalEnvironment["PATH"] ?? "")
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
      try Console.write(1, bytes: Array(try encoder.encode(probe)) + [0x0A])
    }
  }
}
