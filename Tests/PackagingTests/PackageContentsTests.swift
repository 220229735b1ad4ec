import Foundation
import TestSupport
import Testing
import Verification

/// What the package holds and declares, read from the built `.deb` on this host.
@Suite struct PackageContentsTests {
  @Test func holdsExactlyTheToolItsDocsCompletionsAndExamples() throws {
    let deb = try PackagedDeb.shared.get()
    var files: Set<String> = []
    let enumerator = try #require(FileManager.default.enumerator(atPath: deb.unpacked))
    for case let relative as String in enumerator {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: deb.file(relative), isDirectory: &isDirectory),
        !isDirectory.boolValue
      {
        files.insert(relative)
      }
    }
    let doc = "usr/share/doc/cyrus-failover/"
    #expect(
      files == [
        "usr/bin/cyrus-failover", "usr/share/man/man1/cyrus-failover.1.gz",
        "usr/share/bash-completion/completions/cyrus-failover",
        "usr/share/zsh/vendor-completions/_cyrus-failover",
        "usr/share/fish/vendor_completions.d/cyrus-failover.fish",
        "usr/share/lintian/overrides/cyrus-failover",
        doc + "README.md.gz", doc + "findings.md.gz", doc + "remote.md.gz",
        doc + "json-schema.md.gz", doc + "procedure.md.gz", doc + "signoff.md.gz",
        doc + "changelog.gz", doc + "copyright",
        doc + "examples/cyrus-failover-verify.service",
        doc + "examples/cyrus-failover-verify.timer",
      ])
  }

  @Test func dependsOnlyOnTheLibrariesItLinksNoSwift() throws {
    let deb = try PackagedDeb.shared.get()
    let depends = try deb.field("Depends").split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces).split(separator: " ").first.map(String.init) ?? ""
    }
    #expect(Set(depends) == ["libc6", "libdb5.3", "libgcc-s1", "libstdc++6"])
    #expect(try deb.field("Recommends") == "openssh-client, rsync")
    #expect(try deb.field("Suggests") == "")
    let dynamic = try TestPrograms.must(["readelf", "-d", deb.file("usr/bin/cyrus-failover")])
      .stdout
    let needed = dynamic.split(separator: "\n").filter { $0.contains("(NEEDED)") }.compactMap {
      $0.split(separator: "[").last?.dropLast()
    }.map(String.init)
    #expect(
      Set(needed) == [
        "libdb-5.3.so", "libm.so.6", "libstdc++.so.6", "libgcc_s.so.1", "libc.so.6",
        "ld-linux-x86-64.so.2",
      ])
    #expect(!dynamic.contains("RPATH") && !dynamic.contains("RUNPATH"))
  }

  @Test func binaryHoldsNoBuildPath() throws {
    let deb = try PackagedDeb.shared.get()
    let strings = try TestPrograms.must(["strings", deb.file("usr/bin/cyrus-failover")]).stdout
    // build-deb.sh maps the checkout to /usr/src/cyrus-failover in file names it records.
    #expect(!strings.contains(TestPrograms.repository))
    #expect(strings.contains("/usr/src/cyrus-failover/"))
  }

  @Test func versionNamesTheCommitItWasBuiltFrom() throws {
    let deb = try PackagedDeb.shared.get()
    let version = try TestPrograms.must([deb.file("usr/bin/cyrus-failover"), "--version"]).stdout
    let head = try TestPrograms.must(["git", "-C", TestPrograms.repository, "rev-parse", "HEAD"])
      .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    if ProcessInfo.processInfo.environment["CYRUS_FAILOVER_DEB"] == nil {
      #expect(version.hasPrefix("0.1.0 (commit \(head)"), "\(version)")
    }
    let shape = try Regex("0\\.1\\.0 \\(commit [0-9a-f]{40}(-dirty)?\\)\n")
    #expect(version.wholeMatch(of: shape) != nil, "\(version)")
    #expect(try deb.field("Version").hasPrefix("0.1.0+git"))
  }

  @Test func manPageRendersWithExitStatusAndEveryFindingCode() throws {
    let deb = try PackagedDeb.shared.get()
    let page = deb.file("usr/share/man/man1/cyrus-failover.1.gz")
    let rendered = try TestPrograms.must([
      "env", "MANWIDTH=80", "LC_ALL=C.UTF-8", "man", "-P", "cat", "-l", page,
    ])
    #expect(rendered.stderr.isEmpty, "\(rendered.stderr)")
    let text = rendered.stdout
    for heading in ["NAME", "SYNOPSIS", "DESCRIPTION", "FILES", "EXIT STATUS", "EXAMPLES"] {
      #expect(text.contains("\n\(heading)\n"), "no section \(heading)")
    }
    for needle in ["DIAGNOSTICS", "3 UNKNOWN", "--nagios", "--metrics", "mboxlist", "manifest"] {
      #expect(text.contains(needle), "the page lacks \(needle)")
    }
    for code in FindingCode.all {
      #expect(text.contains("     \(code.rawValue)\n"), "no item for \(code.rawValue)")
    }
    // groff's own warnings, as lintian checks them (lintian: groff-message).
    let warnings = try TestPrograms.run([
      "env", "LC_ALL=C.UTF-8", "MANWIDTH=80", "man", "--warnings", "-E", "UTF-8", "-l", "-Tutf8",
      "-Z", page,
    ])
    #expect(warnings.status == 0 && warnings.stderr.isEmpty, "\(warnings.stderr)")
  }
}
