import Testing

@testable import CyrusStore

@Suite struct CyrusInstanceTests {
  @Test func rootDirectoryRerootsEveryPath() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let instance = try CyrusInstance.locate(tree.path)
    #expect(instance.configFile == tree.path + "/etc/imapd.conf")
    #expect(instance.areas.map(\.name) == ["config", "partition-default", "sieve"])
    #expect(instance.areas[0].path == tree.path + "/var/lib/cyrus")
    #expect(instance.areas[2].optional)
    #expect(instance.hashImapSpool)
  }

  @Test func configFileWithExplicitRoot() throws {
    let tree = try TemporaryTree()
    try tree.makeInstance()
    let instance = try CyrusInstance.locate(
      tree.path + "/etc/imapd.conf", root: "/opt/backup-cyrus")
    #expect(instance.areas.first?.path == "/opt/backup-cyrus/var/lib/cyrus")
  }

  @Test func missingConfigDirectoryIsAClearError() throws {
    let tree = try TemporaryTree()
    try tree.write("etc/imapd.conf", "partition-default: /x\n")
    #expect {
      try CyrusInstance.locate(tree.path)
    } throws: { error in
      (error as? CyrusStoreError)?.kind == .missingOption
        && (error as? CyrusStoreError)?.detail.contains("configdirectory") == true
    }
  }

  @Test func relativePathIsRejectedNamingTheLine() throws {
    let tree = try TemporaryTree()
    try tree.write("etc/imapd.conf", "configdirectory: var/lib/cyrus\npartition-default: /x\n")
    #expect {
      try CyrusInstance.locate(tree.path)
    } throws: { error in
      (error as? CyrusStoreError)?.path.hasSuffix("imapd.conf:1") == true
    }
  }

  @Test func missingPathAndDirectoryWithoutConfig() throws {
    let tree = try TemporaryTree()
    #expect(throws: CyrusStoreError.self) { try CyrusInstance.locate(tree.path + "/nope") }
    #expect(throws: CyrusStoreError.self) { try CyrusInstance.locate(tree.path) }
  }

  @Test func includeIsReadRelativeToTheConfig() throws {
    let tree = try TemporaryTree()
    try tree.write("etc/imapd.conf", "@include: more.conf\npartition-default: /p\n")
    try tree.write("etc/more.conf", "configdirectory: /c\n")
    let instance = try CyrusInstance.locate(tree.path)
    #expect(instance.areas.first?.path == tree.path + "/c")
  }

  @Test func nestedAreaIsExcludedFromTheOuterWalk() {
    let areas = CyrusInstance.arrange([
      StoreArea(name: "config", role: .config, configuredPath: "/c", path: "/c"),
      StoreArea(
        name: "partition-default", role: .partition, configuredPath: "/c/spool", path: "/c/spool"),
      StoreArea(
        name: "metapartition-default", role: .metapartition, configuredPath: "/c/spool/",
        path: "/c/spool/"),
    ])
    #expect(areas.map(\.name) == ["config", "partition-default"])
    #expect(areas[0].excluded == [EntryPath("spool")])
  }
}
