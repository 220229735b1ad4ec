// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "cyrus-failover",
  // Linux only: the tool calls glibc directly (posix_spawn extensions, openat, fstatat, /proc)
  // and Cyrus servers are Linux; no Apple platform is declared because none builds.
  products: [
    .executable(name: "cyrus-failover", targets: ["cyrus-failover"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
  ],
  targets: [
    /** Debian's libdb (Berkeley DB 5.3) as a C module; no pkg-config file exists, so it links "db". */
    .systemLibrary(name: "CBerkeleyDB", path: "Sources/CBerkeleyDB"),
    /** Owning, read-only Swift wrappers around Berkeley DB: the only place with unsafe C calls to libdb. */
    .target(name: "BerkeleyDB", dependencies: ["CBerkeleyDB"], exclude: ["README.md"]),
    /** glibc's posix_spawn extensions and pipe2, which Swift's Glibc module does not show; a child's sandbox. */
    .target(name: "CSpawn", exclude: ["README.md"]),
    /** Child processes: argv and environment given in full, captured or streamed output, time limits, process groups. */
    .target(
      name: "Processes",
      dependencies: ["CSpawn", .product(name: "SystemPackage", package: "swift-system")],
      exclude: ["README.md"]),
    /** Pure parsers from bytes: cyrusdb backends, mailboxes.db values, dumps, imapd.conf. */
    .target(name: "CyrusFormats", exclude: ["README.md"]),
    /** One Cyrus instance on disk: paths from imapd.conf, the canonical walk of config dir and spool. */
    .target(
      name: "CyrusStore",
      dependencies: [
        "CyrusFormats", "BerkeleyDB", .product(name: "Crypto", package: "swift-crypto"),
      ],
      exclude: ["README.md"], swiftSettings: uncheckedExclusivityInRelease),
    /** Findings, the streaming merge-join of two manifests, and the report encoders. */
    .target(
      name: "Verification", dependencies: ["CyrusStore", "CyrusFormats"], exclude: ["README.md"],
      swiftSettings: uncheckedExclusivityInRelease),
    /** The agent protocol over SSH standard input/output, the SSH transport, saved manifests. */
    .target(
      name: "Remote",
      dependencies: [
        "Verification", "CyrusStore", "Processes",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      exclude: ["README.md"]),
    /** The procedure: sync, backup, restore as a plan of steps on two hosts, carried out safely. */
    .target(
      name: "Failover",
      dependencies: [
        "Remote", "Verification", "CyrusStore", "CyrusFormats", "Processes",
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      exclude: ["README.md"]),
    /** The command-line tool: parses options, wires the modules, prints, picks the exit code. */
    .executableTarget(
      name: "cyrus-failover",
      dependencies: [
        "Verification", "CyrusStore", "CyrusFormats", "BerkeleyDB", "Remote", "Processes",
        "Failover", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "SystemPackage", package: "swift-system"),
      ],
      exclude: ["README.md"]),
    /** Test helpers shared by the end-to-end test targets: running the built tool and real programs. */
    .target(
      name: "TestSupport", dependencies: ["CyrusStore", "Processes"], path: "Tests/TestSupport"),
    .testTarget(name: "ProcessesTests", dependencies: ["Processes"]),
    .testTarget(
      name: "FailoverTests", dependencies: ["Failover", "Remote", "Processes", "TestSupport"]),
    .testTarget(name: "CyrusFormatsTests", dependencies: ["CyrusFormats"]),
    .testTarget(name: "MailboxFormatTests", dependencies: ["CyrusFormats", "TestSupport"]),
    .testTarget(name: "BerkeleyDBTests", dependencies: ["BerkeleyDB", "TestSupport"]),
    .testTarget(
      name: "CyrusStoreTests",
      dependencies: [
        "CyrusStore", "CyrusFormats", "TestSupport",
        .product(name: "Crypto", package: "swift-crypto"),
      ]),
    .testTarget(name: "VerificationTests", dependencies: ["Verification", "CyrusStore", "TestSupport"]),
    .testTarget(
      name: "RemoteTests", dependencies: ["Remote", "Verification", "CyrusStore", "TestSupport"]),
    .testTarget(
      name: "MailboxListTests",
      dependencies: [
        "cyrus-failover", "CyrusStore", "CyrusFormats", "BerkeleyDB", "Remote", "Processes",
        "TestSupport",
      ]),
    .testTarget(
      name: "IntegrationTests",
      dependencies: ["cyrus-failover", "Verification", "Processes", "TestSupport"]),
    /** The Debian package (packaging/build-deb.sh) installed into a clean Debian 12 root: slow. */
    .testTarget(name: "PackagingTests", dependencies: ["Verification", "TestSupport"]),
  ]
)

/// The walk's and the diff's modules skip the run-time exclusivity checks in release builds: a
/// class property's every mutation there costs a call into the runtime's access set (about 10 %
/// of the instructions of a same-host full verify, 3–4 % of a walk; docs/performance.md).
/// Debug builds, which the tests run, keep every check.
var uncheckedExclusivityInRelease: [SwiftSetting] {
  [.unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))]
}
