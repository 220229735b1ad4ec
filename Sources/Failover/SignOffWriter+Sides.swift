import CyrusStore
import Foundation
import Glibc
import Remote

extension SignOffWriter {
  /// The walk of a manifest saved for a sign-off: metadata (a later meta-level walk is compared
  /// with it), no runtime files.
  func walkOptions() -> WalkOptions {
    WalkOptions(level: .meta, includeRuntime: false, berkeleyReader: berkeleyReader)
  }

  /// Saves or copies a side's manifest into the directory as `name` and fingerprints it.
  func manifest(_ input: SideInput, name: String) throws -> SignOff.Manifest? {
    let target = path(name)
    switch (input.manifest, input.specification) {
    case (.none, _):
      return nil
    case (.copy(let source), _), (.save, .manifest(let source)):
      try copy(source, to: target)
    case (.save, .local(let configPath, let root)):
      let instance = try CyrusInstance.locate(configPath, root: root)
      _ = try ManifestWriter.save(
        instance, options: walkOptions(), to: target, toolVersion: toolVersion)
    case (.save, .remote(let remote, let root)):
      guard let ssh else {
        throw SignOffError(.write, "\(remote): a remote side needs SSH settings")
      }
      _ = try ManifestWriter.save(
        remote: remote, root: root, ssh: ssh, options: walkOptions(), to: target,
        toolVersion: toolVersion, runner: runner)
    }
    let fingerprint = try ManifestFingerprint.read(path: target)
    return SignOff.Manifest(name: name, fingerprint)
  }

  /// Copies a file into place through a temporary file beside it.
  private func copy(_ source: String, to target: String) throws {
    let temporary = target + ".partial"
    try? FileManager.default.removeItem(atPath: temporary)
    do {
      try FileManager.default.copyItem(atPath: source, toPath: temporary)
    } catch {
      throw SignOffError(.write, "cannot copy the manifest \(source) to \(temporary): \(error)")
    }
    guard rename(temporary, target) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw SignOffError(.write, "\(target): cannot put the manifest in place: \(reason)")
    }
  }

  /// What the report says about a side: its probe (made here unless the caller had one), or a
  /// manifest's header.
  func side(_ input: SideInput) throws -> SignOff.Side {
    switch input.specification {
    case .local(let configPath, let root):
      let probe =
        try input.probe
        ?? HostProbe.collect(
          try CyrusInstance.locate(configPath, root: root), toolVersion: toolVersion,
          usage: false, runner: runner, berkeley: berkeleyReader,
          searchPath: CommandHost(place: .local, ssh: nil, environment: environment).searchPath)
      return SignOff.Side(
        role: input.role, given: input.specification.description, place: "local", probe: probe)
    case .remote(let target, let root):
      let probe: HostProbe
      if let known = input.probe {
        probe = known
      } else {
        guard let ssh else {
          throw SignOffError(.write, "\(target): a remote side needs SSH settings")
        }
        probe = try HostProbe.remote(
          target, root: root,
          host: CommandHost(place: .remote(target.destination), ssh: ssh, environment: environment),
          remoteCommand: ssh.remoteCommand, toolVersion: toolVersion, runner: runner)
      }
      return SignOff.Side(
        role: input.role, given: input.specification.description, place: "remote", probe: probe)
    case .manifest(let manifestPath):
      let header = try ManifestReader(path: manifestPath).header
      return SignOff.Side(
        role: input.role, given: input.specification.description, place: "manifest",
        host: nil, machineID: nil, configFile: header.instance.configFile,
        root: header.instance.root,
        areas: Dictionary(
          header.instance.areas.map { ($0.name, $0.path) }, uniquingKeysWith: { first, _ in first }),
        cyrusVersion: nil, cyrusPackages: [:], cyrusFamily: nil, dataFamily: nil, service: nil)
    }
  }
}

extension SignOff.Side {
  /// A side as its host's probe describes it; a local side's paths (imapd.conf, root, areas)
  /// made absolute, so that promote recognises it whether it is named relative or absolute.
  init(role: String, given: String, place: String, probe: HostProbe) {
    let local = place == "local"
    func path(_ path: String) -> String { local ? Self.absolute(path) : path }
    self.init(
      role: role, given: given, place: place, host: probe.hostname, machineID: probe.machineID,
      configFile: path(probe.instance.configFile), root: probe.instance.root.map(path),
      areas: Dictionary(
        probe.instance.areas.map { ($0.name, path($0.path)) },
        uniquingKeysWith: { first, _ in first }),
      cyrusVersion: probe.cyrusVersion, cyrusPackages: probe.cyrus.packages,
      cyrusFamily: probe.cyrus.family?.rawValue, dataFamily: probe.data.family?.rawValue,
      service: probe.service.manager.map { manager in
        [manager, probe.service.unit].compactMap { $0 }.joined(separator: " ")
      })
  }

  /// `path` made absolute (against the working directory) with `.` and `..` removed, as
  /// words: symlinks are not resolved, so the path stays the one imapd.conf and the probe of a
  /// remote host name (a spool under a symlinked /var/spool/cyrus is the same path on either).
  static func absolute(_ path: String) -> String {
    URL(fileURLWithPath: path).standardizedFileURL.path
  }
}

extension SignOff.Manifest {
  /// A manifest in the sign-off directory as `name`, described by its fingerprint.
  init(name: String, _ fingerprint: ManifestFingerprint) {
    self.init(
      file: name, sha256: fingerprint.fileSHA256, entriesDigest: fingerprint.entriesDigest,
      entries: fingerprint.entries, bytes: fingerprint.bytes,
      level: fingerprint.header.level.rawValue, includeRuntime: fingerprint.header.includeRuntime,
      formatVersion: Int(ManifestFile.formatVersion), created: fingerprint.header.created,
      origin: fingerprint.header.origin, toolVersion: fingerprint.header.toolVersion)
  }
}
